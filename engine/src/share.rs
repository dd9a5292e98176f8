//! Share links: a saved session packed into a URL fragment, `s=<version>.<data>`.
//!
//! Version 2, written now, is the saved YAML behind an 8-byte header (its length and FNV-1a
//! hash, little-endian), compressed with a small LZ77 coder and written in base64url. The
//! header comes first, so a link cut short anywhere is caught instead of opening an earlier
//! state. Version 1, the same without the header, stays readable. Decoding never trusts its
//! input: every length is bounded, every back-reference checked, and the result goes through
//! [`Saved::from_yaml`]'s checks.

use crate::session::{Saved, MAX_SAVED_BYTES};

/// The format written now; older versions stay readable here as they are retired.
pub const VERSION: &str = "2";
/// Longer links are cut by many chat and mail programs.
pub const LINK_LIMIT: usize = 8_000;
/// Longest fragment decoded at all.
const MAX_FRAGMENT: usize = 1 << 20;

const MIN_MATCH: usize = 4;
const MAX_MATCH: usize = 255 + MIN_MATCH;
const WINDOW: usize = 65_535;

/// The fragment (without `#`) for a saved session.
pub fn encode(saved: &Saved) -> String {
    let text = saved.to_yaml();
    let mut packed = Vec::with_capacity(text.len() + 8);
    packed.extend_from_slice(&(text.len() as u32).to_le_bytes());
    packed.extend_from_slice(&fnv1a(text.as_bytes()).to_le_bytes());
    packed.extend_from_slice(text.as_bytes());
    format!("s={VERSION}.{}", base64url(&compress(&packed)))
}

/// 32-bit FNV-1a: enough to tell a whole link from a damaged one.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// Version 2's body: the header's length and hash must match the text that follows.
fn checked_text(data: &str) -> Result<String, String> {
    const DAMAGED: &str = "the link is damaged or was cut short; copy the whole link again";
    let bytes = unbase64url(data).map_err(|e| format!("{DAMAGED} ({e})"))?;
    let packed = decompress(&bytes, MAX_SAVED_BYTES + 8).map_err(|e| format!("{DAMAGED} ({e})"))?;
    let (Some(len), Some(hash)) = (packed.get(..4), packed.get(4..8)) else {
        return Err(DAMAGED.into());
    };
    let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
    let hash = u32::from_le_bytes([hash[0], hash[1], hash[2], hash[3]]);
    let text = &packed[8..];
    if text.len() != len {
        return Err(format!(
            "{DAMAGED} (it holds {} of the {len} bytes of its state)",
            text.len()
        ));
    }
    if fnv1a(text) != hash {
        return Err(format!("{DAMAGED} (its state does not match its checksum)"));
    }
    String::from_utf8(text.to_vec()).map_err(|_| "the link's state is not valid text".into())
}

/// Reads a fragment written by [`encode`] (with or without the leading `#`).
pub fn decode(fragment: &str) -> Result<Saved, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_FRAGMENT {
        return Err(format!(
            "the link is {} characters long; links up to {MAX_FRAGMENT} are read",
            fragment.len()
        ));
    }
    let body = fragment
        .strip_prefix("s=")
        .ok_or("the link does not hold a kubesim state (expected #s=…)")?;
    let (version, data) = body
        .split_once('.')
        .ok_or("the link's state has no version (expected #s=2.…)")?;
    match version {
        "2" => Saved::from_yaml(&checked_text(data)?),
        "1" => {
            let bytes = unbase64url(data)?;
            let text = decompress(&bytes, MAX_SAVED_BYTES)?;
            let text = String::from_utf8(text).map_err(|_| "the link's state is not valid text")?;
            Saved::from_yaml(&text)
        }
        v if v.len() <= 4 && !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) => {
            if v.parse::<u32>().unwrap_or(0) > 2 {
                Err(format!(
                    "the link was made by a newer kubesim (format {v}); this one reads format {VERSION}"
                ))
            } else {
                Err(format!(
                    "the link uses format {v}, which no released kubesim wrote; this one reads format {VERSION}"
                ))
            }
        }
        _ => Err("the link's state has an unknown format".into()),
    }
}

/// Whether a link of this length travels safely, and if not a message saying why.
pub fn check_length(link: &str) -> Result<(), String> {
    if link.len() > LINK_LIMIT {
        Err(format!(
            "This link is {} characters long, more than the {LINK_LIMIT} that many chat and mail programs keep. Download the scenario file instead.",
            link.len()
        ))
    } else {
        Ok(())
    }
}

// Token stream: a control byte, then up to 8 items; bit i set means item i is a match
// (3 bytes: distance u16 little-endian, length − MIN_MATCH) else a literal byte.
fn compress(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 2 + 16);
    let mut head: Vec<u32> = vec![u32::MAX; 1 << 15];
    let mut prev: Vec<u32> = vec![u32::MAX; input.len()];
    let hash = |i: usize| -> usize {
        let v = u32::from_le_bytes([input[i], input[i + 1], input[i + 2], input[i + 3]]);
        (v.wrapping_mul(2_654_435_761) >> 17) as usize
    };
    let insert = |i: usize, head: &mut Vec<u32>, prev: &mut Vec<u32>| {
        if i + MIN_MATCH <= input.len() {
            let h = hash(i);
            prev[i] = head[h];
            head[h] = i as u32;
        }
    };
    let mut i = 0;
    let mut control_at = usize::MAX;
    let mut bit = 8;
    while i < input.len() {
        if bit == 8 {
            control_at = out.len();
            out.push(0);
            bit = 0;
        }
        let mut best = (0usize, 0usize);
        if i + MIN_MATCH <= input.len() {
            let mut cand = head[hash(i)];
            let mut tries = 64;
            while cand != u32::MAX && tries > 0 {
                let c = cand as usize;
                if i - c > WINDOW {
                    break;
                }
                let max = (input.len() - i).min(MAX_MATCH);
                let len = (0..max)
                    .take_while(|&k| input[c + k] == input[i + k])
                    .count();
                if len > best.1 {
                    best = (i - c, len);
                }
                cand = prev[c];
                tries -= 1;
            }
        }
        if best.1 >= MIN_MATCH {
            out[control_at] |= 1 << bit;
            out.extend_from_slice(&(best.0 as u16).to_le_bytes());
            out.push((best.1 - MIN_MATCH) as u8);
            for k in i..i + best.1 {
                insert(k, &mut head, &mut prev);
            }
            i += best.1;
        } else {
            out.push(input[i]);
            insert(i, &mut head, &mut prev);
            i += 1;
        }
        bit += 1;
    }
    out
}

fn decompress(input: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    let damaged = || "the link's state is damaged (was it cut short?)".to_string();
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < input.len() {
        let control = input[i];
        i += 1;
        for bit in 0..8 {
            if i >= input.len() {
                break;
            }
            if control & (1 << bit) != 0 {
                let [a, b, l] = input.get(i..i + 3).ok_or_else(damaged)? else {
                    return Err(damaged());
                };
                i += 3;
                let dist = u16::from_le_bytes([*a, *b]) as usize;
                let len = *l as usize + MIN_MATCH;
                if dist == 0 || dist > out.len() {
                    return Err(damaged());
                }
                if out.len() + len > limit {
                    return Err(format!(
                        "the link's state unpacks to more than {limit} bytes"
                    ));
                }
                let start = out.len() - dist;
                for k in 0..len {
                    out.push(out[start + k]);
                }
            } else {
                if out.len() >= limit {
                    return Err(format!(
                        "the link's state unpacks to more than {limit} bytes"
                    ));
                }
                out.push(input[i]);
                i += 1;
            }
        }
    }
    Ok(out)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (k, b)| acc | (*b as u32) << (16 - 8 * k));
        for k in 0..chunk.len() + 1 {
            s.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    s
}

fn unbase64url(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let v = ALPHABET
            .iter()
            .position(|a| *a == c)
            .ok_or("the link's state holds characters a kubesim link never has")?;
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn saved() -> Saved {
        Saved {
            format: crate::session::SAVED_FORMAT.into(),
            scenario: "name: demo\nseed: 3\n".into(),
            now: 12.5,
            log: Vec::new(),
            editor: Some("kind: Deployment\n".repeat(40)),
        }
    }

    #[test]
    fn a_link_round_trips_and_is_shorter_than_the_text() {
        let s = saved();
        let link = encode(&s);
        assert!(link.starts_with("s=2."));
        assert!(
            link.len() < s.to_yaml().len() / 2,
            "{} vs {}",
            link.len(),
            s.to_yaml().len()
        );
        assert_eq!(decode(&format!("#{link}")).unwrap(), s);
    }

    #[test]
    fn hostile_links_are_refused_with_a_message() {
        let good = encode(&saved());
        let cases = [
            ("x=1.abc", "does not hold a kubesim state"),
            ("s=abc", "no version"),
            ("s=9.abc", "newer kubesim"),
            ("s=0.abc", "no released kubesim wrote"),
            ("s=99999.abc", "unknown format"),
            ("s=1.<script>", "characters"),
            // Cut short: whatever part survives must still be refused.
            (&good[..good.len() / 2], "cut short"),
            // A back-reference before the start of the output.
            ("s=1.AQEAAA", "damaged"),
        ];
        for (link, want) in cases {
            let err = decode(link).unwrap_err();
            assert!(err.contains(want), "{link}: {err}");
        }
        // A bomb: one literal, then matches repeating it far beyond the limit.
        let mut bomb = vec![0xFE, b'a'];
        bomb.extend([1, 0, 255].repeat(7));
        for _ in 0..2_000 {
            bomb.push(0xFF);
            bomb.extend([1, 0, 255].repeat(8));
        }
        let err = decode(&format!("s=1.{}", base64url(&bomb))).unwrap_err();
        assert!(err.contains("unpacks to more than"), "{err}");
    }

    #[test]
    fn a_link_cut_anywhere_is_refused_and_version_1_still_opens() {
        let mut s = saved();
        s.log = (0..12)
            .map(|i| crate::session::SavedCommand {
                at: f64::from(i),
                line: Some(format!("kubectl scale deployment web --replicas={i}")),
                file: None,
                yaml: None,
            })
            .collect();
        let link = encode(&s);
        // Every cut, including one that leaves a valid earlier state in version 1.
        for end in 5..link.len() {
            let err = decode(&link[..end]).unwrap_err();
            assert!(
                err.contains("cut short") || err.contains("no version"),
                "{end}: {err}"
            );
        }
        let v1 = format!("s=1.{}", base64url(&compress(s.to_yaml().as_bytes())));
        assert_eq!(decode(&v1).unwrap(), s);
    }

    #[test]
    fn long_links_get_a_message() {
        assert!(check_length(&"a".repeat(100)).is_ok());
        assert!(check_length(&"a".repeat(LINK_LIMIT + 1))
            .unwrap_err()
            .contains("Download"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn compression_round_trips(data in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), any::<u8>()], 0..3000)) {
            let packed = compress(&data);
            prop_assert_eq!(decompress(&packed, 1 << 20).unwrap(), data.clone());
            prop_assert_eq!(unbase64url(&base64url(&packed)).unwrap(), packed);
        }

        #[test]
        fn decoding_garbage_never_panics(s in "[A-Za-z0-9_-]{0,400}") {
            let _ = decode(&format!("s=1.{s}"));
        }
    }
}
