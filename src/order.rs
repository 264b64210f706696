//! One sort for the whole engine. The standard library's sorts are instantiated per element
//! type and comparator (4–12 KB of wasm each, ~90 KB in all for the engine's dozen sorts); these
//! wrappers share a single non-generic merge sort of positions, so the page module carries the
//! sorting code once. Stable, O(n log n); the lists sorted here are short (files, versions,
//! ids, days).

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`.
pub(crate) fn sort_by<T>(items: &mut Vec<T>, mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = {
        let items: &[T] = items;
        stable_order(items.len(), &mut |a, b| compare(&items[a], &items[b]))
    };
    permute(items, &order);
}

/// Sorts `items` stably by a key.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// A map from pairs, inserted one by one (a later pair with the same key wins, as with
/// `collect`, whose bulk build sorts first with its own instance of the sort). Used by the
/// embedded rules and the wasm bindings; the glue-free core module (core-abi/) has neither.
#[cfg_attr(not(any(feature = "embed", feature = "wasm")), allow(dead_code))]
pub(crate) fn map_of<K: Ord, V>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> std::collections::BTreeMap<K, V> {
    let mut map = std::collections::BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// Rearranges `items` so that position `i` holds the item that was at `order[i]`.
fn permute<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// The positions `0..n` in stable sorted order: a bottom-up merge sort through one buffer.
pub(crate) fn stable_order(
    n: usize,
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut buffer = order.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let middle = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            merge(
                &order[start..middle],
                &order[middle..end],
                &mut buffer[start..end],
                compare,
            );
            start = end;
        }
        std::mem::swap(&mut order, &mut buffer);
        width *= 2;
    }
    order
}

/// Merges two sorted runs into `out`, taking from the left run on ties (stability).
fn merge(
    left: &[usize],
    right: &[usize],
    out: &mut [usize],
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) {
    let (mut i, mut j) = (0, 0);
    for slot in out.iter_mut() {
        let take_left = match (left.get(i), right.get(j)) {
            (Some(&a), Some(&b)) => compare(a, b) != Ordering::Greater,
            (Some(_), None) => true,
            _ => false,
        };
        if take_left {
            *slot = left[i];
            i += 1;
        } else if let Some(&b) = right.get(j) {
            *slot = b;
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        // A small deterministic generator: many lengths, many ties.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for n in 0..200 {
            let items: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    ((state % 7) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |&(k, _)| k);
            let mut theirs = items.clone();
            theirs.sort_by_key(|&(k, _)| k);
            assert_eq!(ours, theirs, "n = {n}");
        }
    }

    #[test]
    fn sort_by_orders_strings() {
        let mut words = vec!["b", "a", "c", "a"];
        sort_by(&mut words, |a, b| a.cmp(b));
        assert_eq!(words, ["a", "a", "b", "c"]);
    }
}
