//! Hashing in dependency order: a file's hash covers its final bytes, after the markers of the
//! files it references were replaced by their hashes.
//!
//! Strongly connected components (import cycles, legal in ES modules) are hashed as one: the
//! component's hash covers every member's bytes, and each member's name hash is derived from it
//! and the member's path. A change anywhere cascades to every file that references it.

use rayon::prelude::*;

use crate::hash::{self, FieldHasher};
use crate::reference::{Ref, overwrite_all};

/// A file to hash: its bytes with markers and the references that resolved to other nodes.
pub(crate) struct Node {
    pub logical: String,
    pub bytes: Vec<u8>,
    /// Indexes into the node list, with the marker standing for each target's hash.
    pub deps: Vec<(usize, String)>,
    /// The SHA-256 of the bytes when known already: hashed while streaming (`bytes` is
    /// empty), or as read, for a file without references that its transform left alone.
    /// [`hash_all`] fills it in first for every other file without references.
    pub digest: Option<[u8; 32]>,
}

/// A hashed file: final bytes, the hash in its name, and the SHA-256 of the bytes.
pub(crate) struct Hashed {
    pub bytes: Vec<u8>,
    pub name_hash: String,
    pub sha256: [u8; 32],
}

/// Hashes every node; the result is in the order of `nodes`.
pub(crate) fn hash_all(mut nodes: Vec<Node>, hash_len: usize) -> Vec<Hashed> {
    // The bytes of a file that references nothing are final: those are hashed up front, in
    // parallel, and the walk in dependency order only hashes the files that reference others.
    nodes
        .par_iter_mut()
        .filter(|node| node.deps.is_empty() && node.digest.is_none())
        .for_each(|node| node.digest = Some(hash::sha256(&node.bytes)));
    let components = strongly_connected(&nodes);
    let mut names: Vec<Option<String>> = vec![None; nodes.len()];
    // The SHA-256 of a file outside a cycle is known once its name is.
    let mut digests: Vec<Option<[u8; 32]>> = vec![None; nodes.len()];
    for component in components {
        let cyclic = component.len() > 1
            || nodes[component[0]]
                .deps
                .iter()
                .any(|(d, _)| *d == component[0]);
        // References leaving the component point at files hashed already.
        for &i in &component {
            let outside: Vec<(String, String)> = nodes[i]
                .deps
                .iter()
                .filter(|(d, _)| !component.contains(d))
                .map(|(d, marker)| (marker.clone(), names[*d].clone().unwrap_or_default()))
                .collect();
            substitute(&mut nodes[i].bytes, &outside);
        }
        if cyclic {
            let mut members = component.clone();
            members.sort_by(|&a, &b| nodes[a].logical.cmp(&nodes[b].logical));
            let mut hasher = FieldHasher::default();
            for &i in &members {
                hasher.field(&nodes[i].logical).field(&nodes[i].bytes);
            }
            let component_hash = hasher.finish();
            for &i in &members {
                let mut member = FieldHasher::default();
                member.field(component_hash).field(&nodes[i].logical);
                names[i] = Some(hash::hex(&member.finish())[..hash_len].to_string());
            }
            for &i in &members {
                let inside: Vec<(String, String)> = nodes[i]
                    .deps
                    .iter()
                    .filter(|(d, _)| component.contains(d))
                    .map(|(d, marker)| (marker.clone(), names[*d].clone().unwrap_or_default()))
                    .collect();
                substitute(&mut nodes[i].bytes, &inside);
            }
        } else {
            let i = component[0];
            let digest = nodes[i]
                .digest
                .unwrap_or_else(|| hash::sha256(&nodes[i].bytes));
            names[i] = Some(hash::hex(&digest)[..hash_len].to_string());
            digests[i] = Some(digest);
        }
    }
    nodes
        .into_iter()
        .zip(names)
        .zip(digests)
        .map(|((node, name), digest)| Hashed {
            sha256: digest.unwrap_or_else(|| hash::sha256(&node.bytes)),
            bytes: node.bytes,
            name_hash: name.unwrap_or_default(),
        })
        .collect()
}

/// The dependencies of a node as `(index, marker)`, from its resolved references.
pub(crate) fn deps(refs: &[Ref], index_of: impl Fn(&str) -> Option<usize>) -> Vec<(usize, String)> {
    let mut deps: Vec<(usize, String)> = refs
        .iter()
        .filter(|r| !r.via_map)
        .filter_map(|r| Some((index_of(&r.target)?, r.marker.clone())))
        .collect();
    deps.sort();
    deps.dedup();
    deps
}

fn substitute(bytes: &mut [u8], replacements: &[(String, String)]) {
    for (marker, name) in replacements {
        overwrite_all(bytes, marker.as_bytes(), name.as_bytes());
    }
}

/// Tarjan's algorithm, iterative. Components come out dependencies first.
fn strongly_connected(nodes: &[Node]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = nodes.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, position in its dependency list)
        let mut work = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if let Some(&(w, _)) = nodes[v].deps.get(*edge) {
                *edge += 1;
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests;
