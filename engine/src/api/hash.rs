//! `pod-template-hash`: FNV-1a over a canonical dump of the pod template (plus the
//! collision count), written as a decimal string encoded in the safe alphabet
//! (k8s-semantics.md §5.1); and the 64-bit FNV-1a the engine uses where it needs a stable
//! number from text without a draw from the simulation's RNG.

use super::core::PodTemplateSpec;
use crate::rng::NAME_ALPHABET;

/// `controller.ComputeHash`. The dump differs from Go's byte for byte, so hashes look
/// authentic (only `4 5 6 7 8 9 b c d f`, usually 10 characters) without matching a real
/// cluster's value for the same template.
pub fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i64>) -> String {
    let canonical = super::json::to_json_compact(&super::yaml::to_value(template));
    let mut h: u32 = 0x811c_9dc5;
    let mut write = |bytes: &[u8]| {
        for b in bytes {
            h ^= *b as u32;
            h = h.wrapping_mul(0x0100_0193);
        }
    };
    write(canonical.as_bytes());
    if let Some(c) = collision_count {
        let mut buf = [0u8; 8];
        buf[..4].copy_from_slice(&(c as u32).to_le_bytes());
        write(&buf);
    }
    safe_encode(&h.to_string())
}

/// 64-bit FNV-1a of `bytes`.
pub fn fnv64(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `rand.SafeEncodeString`: every byte mapped into the 27-character alphabet.
pub fn safe_encode(s: &str) -> String {
    s.bytes()
        .map(|b| NAME_ALPHABET[b as usize % NAME_ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_map_to_the_documented_characters() {
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
        // k8s-semantics.md §5.1: the docs' nginx-deployment-75675f5897 is 3123191453.
        assert_eq!(safe_encode("3123191453"), "75675f5897");
    }

    #[test]
    fn hash_depends_on_template_and_collision_count() {
        let mut t = PodTemplateSpec::default();
        t.metadata.labels.insert("app".into(), "web".into());
        let a = compute_hash(&t, None);
        assert_eq!(a, compute_hash(&t, None));
        assert_ne!(a, compute_hash(&t, Some(1)));
        t.metadata.labels.insert("tier".into(), "front".into());
        assert_ne!(a, compute_hash(&t, None));
        assert!(a.chars().all(|c| "456789bcdf".contains(c)), "{a}");
        assert!((9..=10).contains(&a.len()) || a.len() < 9);
    }

    #[test]
    fn fnv64_matches_the_published_test_vectors() {
        assert_eq!(fnv64("".bytes()), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv64("a".bytes()), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv64("foobar".bytes()), 0x8594_4171_f739_67e8);
    }
}
