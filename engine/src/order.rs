//! Sorting with comparators that are not total orders. Upstream's pod deletion ranking is not
//! transitive (log-bucketed ages fall back to UIDs, equal ages to later rules), and neither is
//! a `--sort-by` over mixed numbers and strings; Go's sort accepts that, while the standard
//! library's sort may panic on it — which would kill the page. This stable merge sort never
//! panics and gives the usual order whenever the comparator is a total order.

use std::cmp::Ordering;

/// Stable merge sort by `cmp`, tolerant of inconsistent comparators.
pub fn sort_by_tolerant<T: Copy>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let mut buf: Vec<T> = v.to_vec();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                // Take from the right only when strictly smaller: stability.
                if cmp(&v[j], &v[i]) == Ordering::Less {
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
        v.copy_from_slice(&buf);
        width *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_sort_for_total_orders() {
        let mut v: Vec<(u8, u32)> = (0..200u32).map(|i| ((i * 7919 % 13) as u8, i)).collect();
        let mut want = v.clone();
        want.sort_by_key(|a| a.0);
        sort_by_tolerant(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, want, "same order, ties kept in input order");
    }

    #[test]
    fn a_cyclic_comparator_neither_panics_nor_loses_elements() {
        // Rock, paper, scissors: every element beats one other and loses to one.
        let mut v: Vec<u32> = (0..500).map(|i| i * 31 % 500).collect();
        sort_by_tolerant(&mut v, |a, b| match (a % 3 + 3 - b % 3) % 3 {
            0 => Ordering::Equal,
            1 => Ordering::Greater,
            _ => Ordering::Less,
        });
        let mut seen = v.clone();
        seen.sort();
        assert_eq!(seen, (0..500).collect::<Vec<_>>());
    }
}
