//! Which kind of store a destination is: what its users are told when credentials or the
//! endpoint fail, and which headers its objects need beyond the usual ones.

/// The object storage service behind a destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Service {
    /// Amazon S3 or an S3-compatible store (`s3://`).
    S3,
    /// Azure Blob Storage (`az://`).
    Azure,
    /// Google Cloud Storage (`gs://`).
    Gcs,
    /// A local directory (`file://`).
    Local,
    /// Any other store (in memory, or a wrapper around one of the above).
    Other,
}

/// Where Google's client libraries and object_store look for credentials, in order.
pub(crate) const GCS_CREDENTIAL_SOURCES: &str = "GOOGLE_SERVICE_ACCOUNT (or \
    GOOGLE_SERVICE_ACCOUNT_PATH, a service account key file), GOOGLE_SERVICE_ACCOUNT_KEY (the \
    key itself), GOOGLE_APPLICATION_CREDENTIALS, ~/.config/gcloud/application_default_credentials.json \
    (gcloud auth application-default login), then the metadata server of Compute Engine, GKE or \
    Cloud Run (NO_GCE_CHECK=true skips it)";

impl Service {
    /// The service of a store built by hand, from the name object_store's stores give
    /// themselves (`AmazonS3(bucket)`, `MicrosoftAzure { .. }`, `GoogleCloudStorage(bucket)`,
    /// `LocalFileSystem(root)`).
    pub(crate) fn of_store(name: &str) -> Service {
        [
            ("AmazonS3(", Service::S3),
            ("MicrosoftAzure ", Service::Azure),
            ("GoogleCloudStorage(", Service::Gcs),
            ("LocalFileSystem(", Service::Local),
        ]
        .into_iter()
        .find_map(|(prefix, service)| name.starts_with(prefix).then_some(service))
        .unwrap_or(Service::Other)
    }

    /// What to check when the store refused the credentials.
    pub(crate) fn auth_hint(self) -> &'static str {
        match self {
            Service::Azure => {
                "check AZURE_STORAGE_ACCOUNT_NAME with AZURE_STORAGE_ACCOUNT_KEY, the SAS \
                 (AZURE_STORAGE_SAS_KEY) or the service principal, and its role on the container"
            }
            Service::Gcs => {
                "check the service account key (GOOGLE_SERVICE_ACCOUNT, \
                 GOOGLE_SERVICE_ACCOUNT_KEY or GOOGLE_APPLICATION_CREDENTIALS) and its role on \
                 the bucket (Storage Object User)"
            }
            Service::S3 => {
                "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for \
                 temporary credentials)"
            }
            Service::Local | Service::Other => {
                "check the credentials the store was configured with"
            }
        }
    }

    /// What to check when the endpoint did not answer.
    pub(crate) fn unreachable_hint(self) -> &'static str {
        match self {
            Service::Azure => {
                "check AZURE_STORAGE_ACCOUNT_NAME (or AZURITE_BLOB_STORAGE_URL) and the network"
            }
            Service::Gcs => "check GOOGLE_BASE_URL (or STORAGE_EMULATOR_HOST) and the network",
            Service::S3 => "check AWS_ENDPOINT_URL (or the region, AWS_REGION) and the network",
            Service::Local | Service::Other => "check the store's endpoint and the network",
        }
    }

    /// The service's name and where its client looks for credentials, for a message that says
    /// none were found.
    pub(crate) fn credential_sources(self) -> (&'static str, &'static str) {
        match self {
            Service::Gcs => ("Google Cloud", GCS_CREDENTIAL_SOURCES),
            _ => ("AWS", super::super::store_error::CREDENTIAL_SOURCES),
        }
    }

    /// The request header that makes a write create-only on this service.
    pub(crate) fn create_only_condition(self) -> &'static str {
        match self {
            Service::Gcs => "x-goog-if-generation-match: 0",
            _ => "If-None-Match",
        }
    }

    /// Whether objects stored with a `Content-Encoding` need `Cache-Control: no-transform` to
    /// be served as stored: Cloud Storage otherwise decompresses a gzip object for a client
    /// whose request lacks `Accept-Encoding: gzip` (decompressive transcoding), and the bytes
    /// served would no longer be the bytes uploaded.
    pub(crate) fn needs_no_transform(self) -> bool {
        self == Service::Gcs
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use object_store::ObjectStore;

    use super::Service;

    #[test]
    fn stores_built_by_hand_are_known_by_their_names() {
        let gcs = object_store::gcp::GoogleCloudStorageBuilder::new()
            .with_bucket_name("b")
            .with_service_account_key(
                r#"{"private_key": "", "private_key_id": "", "client_email": "", "disable_oauth": true}"#,
            )
            .build()
            .unwrap();
        let s3 = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name("b")
            .with_region("eu-west-1")
            .build()
            .unwrap();
        let azure = object_store::azure::MicrosoftAzureBuilder::new()
            .with_account("a")
            .with_container_name("c")
            .with_access_key("a2V5")
            .build()
            .unwrap();
        let stores: [(Arc<dyn ObjectStore>, Service); 4] = [
            (Arc::new(gcs), Service::Gcs),
            (Arc::new(s3), Service::S3),
            (Arc::new(azure), Service::Azure),
            (
                Arc::new(object_store::memory::InMemory::new()),
                Service::Other,
            ),
        ];
        for (store, service) in stores {
            assert_eq!(Service::of_store(&store.to_string()), service, "{store}");
        }
    }
}
