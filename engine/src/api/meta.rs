//! Object metadata shared by every kind: names, labels, annotations, owners, selectors,
//! and the two small value types the API uses everywhere (int-or-string and quantities).

use crate::time::Time;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

pub type Labels = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_timestamp: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_grace_period_seconds: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_as_default"
    )]
    pub labels: Labels,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_as_default"
    )]
    pub annotations: BTreeMap<String, String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_as_default"
    )]
    pub owner_references: Vec<OwnerReference>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_as_default"
    )]
    pub finalizers: Vec<String>,
}

impl ObjectMeta {
    pub fn ns(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }
    pub fn uid(&self) -> &str {
        self.uid.as_deref().unwrap_or("")
    }
    pub fn created(&self) -> Time {
        self.creation_timestamp.unwrap_or_default()
    }
    pub fn is_terminating(&self) -> bool {
        self.deletion_timestamp.is_some()
    }
    /// The owner reference with `controller: true`, if any.
    pub fn controller_ref(&self) -> Option<&OwnerReference> {
        self.owner_references
            .iter()
            .find(|o| o.controller == Some(true))
    }
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.get(key).map(String::as_str)
    }
}

/// Accepts `null` where a map or list is expected, as Go's decoder does.
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerReference {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_owner_deletion: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_as_default"
    )]
    pub match_labels: Labels,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_as_default"
    )]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: String,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_as_default"
    )]
    pub values: Vec<String>,
}

impl LabelSelector {
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// `metav1.LabelSelectorAsSelector` semantics; an empty selector matches everything.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| {
                let has = labels.get(&r.key);
                match r.operator.as_str() {
                    "In" => has.is_some_and(|v| r.values.contains(v)),
                    "NotIn" => has.is_none_or(|v| !r.values.contains(v)),
                    "Exists" => has.is_some(),
                    "DoesNotExist" => has.is_none(),
                    // `-l` only: integer comparisons, false for a value that is no integer.
                    "Gt" | "Lt" => {
                        let number = |v: Option<&String>| v.and_then(|v| v.parse::<i64>().ok());
                        match (number(has), number(r.values.first())) {
                            (Some(l), Some(bound)) if r.operator == "Gt" => l > bound,
                            (Some(l), Some(bound)) => l < bound,
                            _ => false,
                        }
                    }
                    _ => false,
                }
            })
    }

    /// The selector as kubectl prints it: `app=web,pod-template-hash=7c5ddbdf54`.
    pub fn to_selector_string(&self) -> String {
        let mut parts: Vec<String> = self
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for r in &self.match_expressions {
            parts.push(match r.operator.as_str() {
                "Exists" => r.key.clone(),
                "DoesNotExist" => format!("!{}", r.key),
                "Gt" => format!("{}>{}", r.key, r.values.join(",")),
                "Lt" => format!("{}<{}", r.key, r.values.join(",")),
                op => format!("{} {} ({})", r.key, op.to_lowercase(), r.values.join(",")),
            });
        }
        parts.join(",")
    }
}

/// `intstr.IntOrString`: `maxSurge: 1` or `maxSurge: 25%`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntOrString {
    Int(i64),
    Str(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl IntOrString {
    /// `intstr.GetScaledValueFromIntOrPercent`: percent of `total`, rounded up or down.
    pub fn scaled(&self, total: i64, round_up: bool) -> Result<i64, String> {
        match self {
            IntOrString::Int(i) => Ok(*i),
            IntOrString::Str(s) => {
                let p = parse_percent(s).ok_or_else(|| format!("invalid value for IntOrString: invalid type: string is not a percentage: {s:?}"))?;
                let v = total.saturating_mul(p);
                Ok(if round_up {
                    v.saturating_add(99).div_euclid(100)
                } else {
                    v.div_euclid(100)
                })
            }
        }
    }
    pub fn is_zero(&self) -> bool {
        match self {
            IntOrString::Int(i) => *i == 0,
            IntOrString::Str(s) => parse_percent(s) == Some(0),
        }
    }
    pub fn display(&self) -> String {
        match self {
            IntOrString::Int(i) => i.to_string(),
            IntOrString::Str(s) => s.clone(),
        }
    }
}

/// `"25%"` → 25; `None` for anything that is not digits followed by `%`.
pub fn parse_percent(s: &str) -> Option<i64> {
    let digits = s.strip_suffix('%')?;
    // strconv.Atoi reads any int64; 18 digits always fit.
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl Serialize for IntOrString {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IntOrString::Int(i) => s.serialize_i64(*i),
            IntOrString::Str(v) => s.serialize_str(v),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = IntOrString;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<IntOrString, E> {
                Ok(IntOrString::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<IntOrString, E> {
                i64::try_from(v)
                    .map(IntOrString::Int)
                    .map_err(|_| E::custom("integer out of range"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IntOrString, E> {
                Ok(IntOrString::Str(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A resource quantity kept as written (`500m`, `128Mi`, `1`), parsed on demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity(pub String);

impl Quantity {
    /// Value in thousandths of the base unit (millicores for cpu, milli-bytes for memory).
    pub fn milli(&self) -> Option<i128> {
        parse_quantity_milli(&self.0)
    }
}

/// The form the API server stores a quantity in (apimachinery's `CanonicalizeBytes`):
/// `0.5` → `500m`, `1000m` → `1`, `2000` → `2k`, `1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`.
/// `None` for a text that is not a quantity (validation reports it) or one too large to
/// rewrite here, which is then kept as written.
pub fn canonical_quantity(s: &str) -> Option<String> {
    if crate::api::schema::quantity_error(s).is_some() {
        return None;
    }
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-')))
        .unwrap_or(s.len());
    let (number, suffix) = s.split_at(split);
    let negative = number.starts_with('-');
    let number = number.trim_start_matches(['+', '-']);
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    let digits = format!("{int}{frac}");
    if digits.len() > 30 {
        return None;
    }
    let mut mantissa: i128 = digits.parse().ok()?;
    let mut scale = -(frac.len() as i32);
    // (base, exponent, binary): `Ki` is 1024^1, `k` 10^3, `e3` 10^3 in exponent form.
    let (binary_power, decimal_exponent, exponent_form) = match suffix {
        "" => (0, 0, false),
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            let power = 1 + "KMGTPE".find(&suffix[..1]).unwrap_or(0) as u32;
            (power, 0, false)
        }
        "n" => (0, -9, false),
        "u" => (0, -6, false),
        "m" => (0, -3, false),
        "k" => (0, 3, false),
        "M" => (0, 6, false),
        "G" => (0, 9, false),
        "T" => (0, 12, false),
        "P" => (0, 15, false),
        "E" => (0, 18, false),
        e => (0, e.get(1..)?.parse::<i32>().ok()?, true),
    };
    scale += decimal_exponent;
    // Precision below nano rounds up.
    if scale < -9 {
        let drop = u32::try_from(-9 - scale).ok().filter(|d| *d < 38)?;
        let unit = 10i128.pow(drop);
        mantissa = (mantissa + unit - 1) / unit;
        scale = -9;
    }
    if mantissa == 0 {
        return Some("0".into());
    }
    let sign = if negative { "-" } else { "" };
    if binary_power > 0 {
        // BinarySI when the value is a whole number of at least 1024; DecimalSI otherwise.
        let factor = 1024i128.checked_pow(binary_power)?;
        let value = mantissa.checked_mul(factor)?;
        let whole = if scale < 0 {
            let unit = 10i128.pow(u32::try_from(-scale).ok()?);
            (value % unit == 0).then(|| value / unit)
        } else {
            value.checked_mul(10i128.checked_pow(u32::try_from(scale).ok()?)?)
        };
        match whole {
            Some(mut v) if v >= 1024 => {
                let mut power = 0;
                while v % 1024 == 0 && power < 6 {
                    v /= 1024;
                    power += 1;
                }
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power];
                return Some(format!("{sign}{v}{suffix}"));
            }
            _ => {
                mantissa = value;
            }
        }
    }
    // Trailing zeros move into the exponent, which then goes down to a multiple of 3.
    while mantissa % 10 == 0 {
        mantissa /= 10;
        scale += 1;
    }
    match scale.rem_euclid(3) {
        1 => {
            mantissa = mantissa.checked_mul(10)?;
            scale -= 1;
        }
        2 => {
            mantissa = mantissa.checked_mul(100)?;
            scale -= 2;
        }
        _ => {}
    }
    let suffix = if exponent_form {
        if scale == 0 {
            String::new()
        } else {
            format!("e{scale}")
        }
    } else {
        match scale {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => return None,
        }
        .to_string()
    };
    Some(format!("{sign}{mantissa}{suffix}"))
}

/// Parses a Kubernetes quantity (`100m`, `0.5`, `2Gi`, `1e3`) into thousandths.
pub fn parse_quantity_milli(s: &str) -> Option<i128> {
    let s = s.trim();
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let (int_part, frac_part) = match num.split_once('.') {
        Some((a, b)) => (a, b),
        None => (num, ""),
    };
    let neg = int_part.starts_with('-');
    let int_part = int_part.trim_start_matches(['+', '-']);
    if (int_part.is_empty() && frac_part.is_empty())
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // value * 1000 with up to 3 fractional digits kept (finer fractions round up, as the API does)
    let int_v: i128 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().ok()?
    };
    let mut frac_milli: i128 = 0;
    for (i, c) in frac_part.bytes().enumerate() {
        let digit = (c - b'0') as i128;
        if i < 3 {
            frac_milli += digit * 10i128.pow(2 - i as u32);
        } else if digit > 0 {
            frac_milli += 1;
            break;
        }
    }
    let base = int_v.checked_mul(1000)?.checked_add(frac_milli)?;
    let mult: i128 = match suffix {
        "" => 1000,
        "m" => 1,
        "k" => 1_000_000,
        "M" => 1_000_000_000,
        "G" => 1_000_000_000_000,
        "T" => 1_000_000_000_000_000,
        "Ki" => 1024 * 1000,
        "Mi" => 1024 * 1024 * 1000,
        "Gi" => 1024 * 1024 * 1024 * 1000,
        "Ti" => 1024i128.pow(4) * 1000,
        _ => return None,
    };
    let v = if suffix.is_empty() {
        base
    } else {
        base.checked_mul(mult)? / 1000
    };
    Some(if neg { -v } else { v })
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Quantity;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a quantity")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses `-l` selectors as the API server does (see [`super::labels`]).
pub fn parse_label_selector(s: &str) -> Result<LabelSelector, String> {
    super::labels::parse(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn quantities_are_stored_in_apimachinery_s_canonical_form() {
        let cases = [
            ("0.5", "500m"),
            ("1000m", "1"),
            ("1500m", "1500m"),
            ("1.5", "1500m"),
            ("2000", "2k"),
            ("1500", "1500"),
            ("100M", "100M"),
            ("0.1", "100m"),
            ("0.0001", "100u"),
            ("0.0000000001", "1n"),
            ("-1.5", "-1500m"),
            ("128Mi", "128Mi"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("2048Ki", "2Mi"),
            ("1000Ki", "1000Ki"),
            ("1.5Ki", "1536"),
            ("0.5Ki", "512"),
            ("1e3", "1e3"),
            ("1E3", "1e3"),
            ("12e6", "12e6"),
            ("1e0", "1"),
            ("1500e-3", "1500e-3"),
            ("1E", "1E"),
            ("0", "0"),
            ("0.0", "0"),
            ("0.0001Ki", "102400u"),
            ("-0.1n", "-1n"),
            ("1000k", "1M"),
            ("10000000Ki", "10000000Ki"),
        ];
        for (typed, stored) in cases {
            assert_eq!(
                canonical_quantity(typed).as_deref(),
                Some(stored),
                "{typed}"
            );
        }
        assert_eq!(canonical_quantity("1.5x"), None);
        assert_eq!(canonical_quantity(""), None);
    }

    use super::*;

    #[test]
    fn percent_rounding_follows_intstr() {
        let p = IntOrString::Str("25%".into());
        assert_eq!(p.scaled(10, true).unwrap(), 3);
        assert_eq!(p.scaled(10, false).unwrap(), 2);
        assert_eq!(p.scaled(0, true).unwrap(), 0);
        assert_eq!(IntOrString::Str("100%".into()).scaled(7, false).unwrap(), 7);
        assert!(IntOrString::Str("20Percent".into())
            .scaled(10, true)
            .is_err());
        assert_eq!(IntOrString::Int(2).scaled(100, true).unwrap(), 2);
    }

    #[test]
    fn quantities_parse_to_milli_units() {
        assert_eq!(parse_quantity_milli("100m"), Some(100));
        assert_eq!(parse_quantity_milli("0.5"), Some(500));
        assert_eq!(parse_quantity_milli("2"), Some(2000));
        assert_eq!(parse_quantity_milli("1Ki"), Some(1024 * 1000));
        assert_eq!(
            parse_quantity_milli("128Mi"),
            Some(128 * 1024 * 1024 * 1000)
        );
        assert_eq!(parse_quantity_milli("lots"), None);
        assert_eq!(parse_quantity_milli(""), None);
    }

    #[test]
    fn a_percent_too_large_for_a_surge_still_scales() {
        // strconv.Atoi reads it and validation accepts it: the surge is simply huge.
        let huge = IntOrString::Str("1000000000000%".into());
        assert_eq!(huge.scaled(4, true), Ok(40_000_000_000));
        let widest = IntOrString::Str("999999999999999999%".into());
        assert!(widest.scaled(5000, true).is_ok_and(|v| v > 5000));
    }
}
