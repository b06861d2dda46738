//! One paginated LIST of the destination prefix, or of a folder under it: what is there, with
//! the store's own modification times.

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
        Listing::fetch_under(dest, "").await
    }

    /// Lists `folder` (relative to the prefix, ending in `/`, or `""` for all of it).
    pub(crate) async fn fetch_under(dest: &Destination, folder: &str) -> Result<Listing, Error> {
        let folder = folder.trim_end_matches('/');
        let path = match folder.is_empty() {
            true => dest.prefix_path().clone(),
            false => dest.key(folder).map_err(Error::usage)?,
        };
        let path = (!path.as_ref().is_empty()).then_some(path);
        let mut stream = dest.store().list(path.as_ref());
        let mut objects = BTreeMap::new();
        while let Some(meta) = stream
            .try_next()
            .await
            .map_err(|e| Error::store(dest.service(), format!("listing {dest}"), &e))?
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
