//! Verified objects kept for the next request, least recently used out first, under two
//! budgets: one for bytes in memory, one for bytes in temporary files. Each budget covers the
//! objects kept *and* those being fetched, so no traffic pattern holds more than the budgets,
//! however many distinct objects it asks for.

use std::collections::{BTreeMap, HashMap};

use super::fetch::Held;

/// Which budget an object counts against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Store {
    Memory = 0,
    File = 1,
}

impl Held {
    fn store(&self) -> Store {
        match self {
            Held::Memory(_) => Store::Memory,
            Held::File(_) => Store::File,
        }
    }
}

/// The answer to a request for room.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Room {
    /// Reserved: [`ObjectCache::fetched`] or [`ObjectCache::failed`] gives it back.
    Granted,
    /// Not now: objects being fetched hold the budget.
    Wait,
    /// Never: larger than the whole budget.
    TooLarge,
}

/// Objects by key, within the budgets.
pub(super) struct ObjectCache {
    limit: [u64; 2],
    kept: [u64; 2],
    reserved: [u64; 2],
    tick: u64,
    entries: HashMap<String, (Held, u64, u64)>,
    /// Last use -> key: the first entry is the least recently used.
    order: BTreeMap<u64, String>,
}

impl ObjectCache {
    /// A cache of at most `memory` bytes in memory and `files` bytes in temporary files.
    pub(super) fn new(memory: u64, files: u64) -> ObjectCache {
        ObjectCache {
            limit: [memory, files],
            kept: [0; 2],
            reserved: [0; 2],
            tick: 0,
            entries: HashMap::new(),
            order: BTreeMap::new(),
        }
    }

    /// The object, marked as just used.
    pub(super) fn get(&mut self, key: &str) -> Option<Held> {
        self.tick += 1;
        let (held, _, used) = self.entries.get_mut(key)?;
        let key = self.order.remove(used)?;
        *used = self.tick;
        let held = held.clone();
        self.order.insert(self.tick, key);
        Some(held)
    }

    /// Reserves `size` bytes of `store` for a fetch, dropping the least recently used objects
    /// of that store to make room.
    pub(super) fn reserve(&mut self, store: Store, size: u64) -> Room {
        let s = store as usize;
        if size > self.limit[s] {
            return Room::TooLarge;
        }
        while self.kept[s] + self.reserved[s] + size > self.limit[s] {
            let oldest = self
                .order
                .iter()
                .find(|(_, key)| self.entries[key.as_str()].0.store() == store)
                .map(|(&used, _)| used);
            match oldest {
                Some(used) => self.drop_entry(used),
                None => return Room::Wait,
            }
        }
        self.reserved[s] += size;
        Room::Granted
    }

    /// A reserved fetch succeeded: the object is kept in its room.
    pub(super) fn fetched(&mut self, key: String, held: Held, size: u64) {
        let s = held.store() as usize;
        self.reserved[s] -= size;
        if let Some(&(_, _, used)) = self.entries.get(&key) {
            self.drop_entry(used);
        }
        self.kept[s] += size;
        self.tick += 1;
        self.order.insert(self.tick, key.clone());
        self.entries.insert(key, (held, size, self.tick));
    }

    /// A reserved fetch failed: its room is free again.
    pub(super) fn failed(&mut self, store: Store, size: u64) {
        self.reserved[store as usize] -= size;
    }

    /// Drops the object `key`, if kept.
    pub(super) fn remove(&mut self, key: &str) {
        if let Some(&(_, _, used)) = self.entries.get(key) {
            self.drop_entry(used);
        }
    }

    fn drop_entry(&mut self, used: u64) {
        if let Some(key) = self.order.remove(&used)
            && let Some((held, size, _)) = self.entries.remove(&key)
        {
            self.kept[held.store() as usize] -= size;
        }
    }

    /// Bytes kept and reserved, per store.
    #[cfg(test)]
    fn held(&self) -> [u64; 2] {
        [
            self.kept[0] + self.reserved[0],
            self.kept[1] + self.reserved[1],
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn memory(cache: &mut ObjectCache, key: &str, size: u64) {
        assert_eq!(cache.reserve(Store::Memory, size), Room::Granted);
        let held = Held::Memory(Bytes::from(vec![0; size as usize]));
        cache.fetched(key.into(), held, size);
    }

    #[test]
    fn least_recently_used_goes_first() {
        let mut cache = ObjectCache::new(10, 0);
        memory(&mut cache, "a", 4);
        memory(&mut cache, "b", 4);
        assert!(cache.get("a").is_some());
        memory(&mut cache, "c", 4);
        assert!(cache.get("b").is_none(), "b was the least recently used");
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
        assert_eq!(cache.held(), [8, 0]);
        cache.remove("a");
        assert!(cache.get("a").is_none() && cache.get("c").is_some());
        assert_eq!(cache.held(), [4, 0]);
    }

    #[test]
    fn objects_in_flight_count_against_the_budget() {
        let mut cache = ObjectCache::new(10, 0);
        assert_eq!(cache.reserve(Store::Memory, 6), Room::Granted);
        assert_eq!(cache.reserve(Store::Memory, 6), Room::Wait);
        assert_eq!(cache.reserve(Store::Memory, 11), Room::TooLarge);
        assert_eq!(cache.reserve(Store::File, 1), Room::TooLarge);
        cache.failed(Store::Memory, 6);
        assert_eq!(cache.reserve(Store::Memory, 6), Room::Granted);
    }

    #[test]
    fn never_holds_more_than_its_budgets() {
        let mut cache = ObjectCache::new(10, 20);
        for i in 0..100 {
            memory(&mut cache, &format!("k{i}"), 3);
            let [memory, files] = cache.held();
            assert!(memory <= 10 && files <= 20);
        }
        assert_eq!(cache.held(), [9, 0]);
        let file = Held::File(std::sync::Arc::new(tempfile::tempfile().unwrap()));
        assert_eq!(cache.reserve(Store::File, 15), Room::Granted);
        cache.fetched("f".into(), file, 15);
        assert_eq!(cache.held(), [9, 15], "the budgets are separate");
    }
}
