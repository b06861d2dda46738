//! A bounded in-memory cache of verified objects, least recently used out first.

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;

/// Objects by key, holding at most `capacity` bytes in all.
pub(super) struct ObjectCache {
    capacity: u64,
    held: u64,
    tick: u64,
    entries: HashMap<String, (Bytes, u64)>,
    /// Last use -> key: the first entry is the least recently used.
    order: BTreeMap<u64, String>,
}

impl ObjectCache {
    pub(super) fn new(capacity: u64) -> ObjectCache {
        ObjectCache {
            capacity,
            held: 0,
            tick: 0,
            entries: HashMap::new(),
            order: BTreeMap::new(),
        }
    }

    /// The object, marked as just used.
    pub(super) fn get(&mut self, key: &str) -> Option<Bytes> {
        self.tick += 1;
        let (bytes, used) = self.entries.get_mut(key)?;
        let key = self.order.remove(used)?;
        *used = self.tick;
        let bytes = bytes.clone();
        self.order.insert(self.tick, key);
        Some(bytes)
    }

    /// Keeps an object, dropping the least recently used ones to make room; an object larger
    /// than the whole cache is not kept.
    pub(super) fn insert(&mut self, key: String, bytes: Bytes) {
        let size = bytes.len() as u64;
        if size > self.capacity || self.entries.contains_key(&key) {
            return;
        }
        while self.held + size > self.capacity {
            let Some((_, oldest)) = self.order.pop_first() else {
                break;
            };
            if let Some((dropped, _)) = self.entries.remove(&oldest) {
                self.held -= dropped.len() as u64;
            }
        }
        self.tick += 1;
        self.held += size;
        self.order.insert(self.tick, key.clone());
        self.entries.insert(key, (bytes, self.tick));
    }

    /// Drops every object whose key `keep` refuses.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        let dropped: Vec<(u64, String)> = self
            .entries
            .iter()
            .filter(|(key, _)| !keep(key))
            .map(|(key, (_, used))| (*used, key.clone()))
            .collect();
        for (used, key) in dropped {
            self.order.remove(&used);
            if let Some((bytes, _)) = self.entries.remove(&key) {
                self.held -= bytes.len() as u64;
            }
        }
    }

    /// Bytes held.
    #[cfg(test)]
    fn held(&self) -> u64 {
        self.held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(n: usize) -> Bytes {
        Bytes::from(vec![0; n])
    }

    #[test]
    fn least_recently_used_goes_first() {
        let mut cache = ObjectCache::new(10);
        cache.insert("a".into(), bytes(4));
        cache.insert("b".into(), bytes(4));
        assert!(cache.get("a").is_some());
        cache.insert("c".into(), bytes(4));
        assert!(cache.get("b").is_none(), "b was the least recently used");
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
        assert_eq!(cache.held(), 8);
        cache.retain(|key| key == "c");
        assert!(cache.get("a").is_none() && cache.get("c").is_some());
        assert_eq!(cache.held(), 4);
    }

    #[test]
    fn never_holds_more_than_its_capacity() {
        let mut cache = ObjectCache::new(10);
        cache.insert("big".into(), bytes(11));
        assert!(cache.get("big").is_none());
        for i in 0..100 {
            cache.insert(format!("k{i}"), bytes(3));
            assert!(cache.held() <= 10);
        }
        assert_eq!(cache.held(), 9);
    }
}
