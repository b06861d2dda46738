//! One paginated LIST of the destination prefix: what is already there.

use std::collections::BTreeMap;
use std::time::SystemTime;

use futures::TryStreamExt;

use super::{Destination, Error};

/// An object found under the prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Listed {
    pub(crate) size: u64,
    pub(crate) last_modified: SystemTime,
}

/// Every object under the prefix, by key relative to it.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) objects: BTreeMap<String, Listed>,
}

impl Listing {
    /// Lists the prefix: one LIST request per page of keys (1000 on S3).
    pub(crate) async fn fetch(dest: &Destination) -> Result<Listing, Error> {
        let prefix = dest.prefix_path();
        let prefix = (!prefix.as_ref().is_empty()).then_some(prefix);
        let mut stream = dest.store().list(prefix);
        let mut objects = BTreeMap::new();
        while let Some(meta) = stream
            .try_next()
            .await
            .map_err(|e| Error::store(format!("listing {dest}"), &e))?
        {
            if let Some(relative) = dest.relative(&meta.location) {
                let listed = Listed {
                    size: meta.size,
                    last_modified: SystemTime::from(meta.last_modified),
                };
                objects.insert(relative, listed);
            }
        }
        Ok(Listing { objects })
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Listed> {
        self.objects.get(key)
    }
}
