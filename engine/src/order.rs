//! Sorting for the whole program. Upstream's pod deletion ranking is not transitive
//! (log-bucketed ages fall back to UIDs, equal ages to later rules), and neither is a
//! `--sort-by` over mixed numbers and strings; Go's sort accepts that, while the standard
//! library's sort may panic on it — which would kill the page. The merge sort here never
//! panics and gives the usual stable order whenever the comparator is a total order.
//!
//! It sorts positions, not elements, so one non-generic copy of the algorithm serves every
//! element type: each standard-library sort call would add a few kilobytes of WebAssembly.

use std::cmp::Ordering;

/// The stable order of `0..n` under `cmp` on positions, tolerant of inconsistent comparators.
fn permutation(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    let mut buf = v.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                // Take from the right only when strictly smaller: stability.
                if cmp(v[j], v[i]) == Ordering::Less {
                    buf[k] = v[j];
                    j += 1;
                } else {
                    buf[k] = v[i];
                    i += 1;
                }
                k += 1;
            }
            buf[k..k + (mid - i)].copy_from_slice(&v[i..mid]);
            k += mid - i;
            buf[k..k + (end - j)].copy_from_slice(&v[j..end]);
            start = end;
        }
        std::mem::swap(&mut v, &mut buf);
        width *= 2;
    }
    v
}

/// Stable sort by `cmp`, tolerant of inconsistent comparators.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = permutation(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    // Move each element to its place by following the permutation's cycles with swaps:
    // position `j` receives the element that was at `order[j]`.
    let mut placed = vec![false; v.len()];
    for start in 0..v.len() {
        let mut j = start;
        while !placed[j] {
            placed[j] = true;
            let from = order[j];
            if from == start {
                break;
            }
            v.swap(j, from);
            j = from;
        }
    }
}

/// Stable sort by a key.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Stable sort in the natural order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

#[cfg(test)]
// The tests compare with the standard library's sort.
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_sort_for_total_orders() {
        let mut v: Vec<(u8, u32)> = (0..200u32).map(|i| ((i * 7919 % 13) as u8, i)).collect();
        let mut want = v.clone();
        want.sort_by_key(|a| a.0);
        sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, want, "same order, ties kept in input order");
    }

    #[test]
    fn a_cyclic_comparator_neither_panics_nor_loses_elements() {
        // Rock, paper, scissors: every element beats one other and loses to one.
        let mut v: Vec<u32> = (0..500).map(|i| i * 31 % 500).collect();
        sort_by(&mut v, |a, b| match (a % 3 + 3 - b % 3) % 3 {
            0 => Ordering::Equal,
            1 => Ordering::Greater,
            _ => Ordering::Less,
        });
        let mut seen = v.clone();
        seen.sort();
        assert_eq!(seen, (0..500).collect::<Vec<_>>());
    }

    proptest::proptest! {
        #[test]
        fn owned_elements_end_in_the_standard_stable_order(
            items in proptest::collection::vec((0u8..6, "[a-c]{0,3}"), 0..60)
        ) {
            let mut want = items.clone();
            want.sort_by_key(|e| e.0);
            let mut got = items.clone();
            sort_by_key(&mut got, |e| e.0);
            proptest::prop_assert_eq!(&got, &want);
            let mut want = items.clone();
            want.sort();
            let mut got = items;
            sort(&mut got);
            proptest::prop_assert_eq!(got, want);
        }
    }
}
