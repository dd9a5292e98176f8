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
    /// Whether the amount is below zero, however small or large (from its text when it is
    /// beyond what is computed here).
    pub fn negative(&self) -> bool {
        match Exact::parse(&self.0) {
            Some(q) => q.negative && q.mantissa != 0,
            None => {
                let t = self.0.trim();
                crate::api::schema::quantity_error(t).is_none()
                    && t.starts_with('-')
                    && t.split(|c: char| c.is_ascii_alphabetic())
                        .next()
                        .is_some_and(|n| n.bytes().any(|b| matches!(b, b'1'..=b'9')))
            }
        }
    }

    /// The quantity as the API server serialises it (its canonical form); text that is not
    /// a quantity as it is.
    pub fn canonical(&self) -> String {
        canonical_quantity(&self.0).unwrap_or_else(|| self.0.clone())
    }

    /// Whether this amount is more than `other`, compared exactly (`1100u` is more than
    /// `1001u`, though both round up to `2m`); `None` when either is not a quantity.
    pub fn exceeds(&self, other: &Quantity) -> Option<bool> {
        let (a, b) = (Exact::parse(&self.0)?, Exact::parse(&other.0)?);
        let signed = |q: &Exact| if q.negative { -q.mantissa } else { q.mantissa };
        // Both at the finer scale; a value too large to align there is the larger one.
        let scale = a.scale.min(b.scale);
        let aligned = |q: &Exact| {
            u32::try_from(q.scale - scale)
                .ok()
                .and_then(|d| 10i128.checked_pow(d))
                .and_then(|f| signed(q).checked_mul(f))
        };
        Some(match (aligned(&a), aligned(&b)) {
            (Some(x), Some(y)) => x > y,
            (None, _) => !a.negative,
            (Some(_), None) => b.negative,
        })
    }

    /// Value in thousandths of the base unit (millicores for cpu, milli-bytes for memory),
    /// finer fractions rounded up as the API server rounds them.
    pub fn milli(&self) -> Option<i128> {
        parse_quantity_milli(&self.0)
    }
}

/// Parses a Kubernetes quantity (`100m`, `0.5`, `2Gi`, `1e3`, `5n`) into thousandths.
pub fn parse_quantity_milli(s: &str) -> Option<i128> {
    let q = Exact::parse(s)?;
    let shift = q.scale.checked_add(3)?;
    let magnitude = if shift >= 0 {
        q.mantissa
            .checked_mul(10i128.checked_pow(u32::try_from(shift).ok()?)?)?
    } else {
        let unit = 10i128.checked_pow(u32::try_from(-shift).ok()?);
        match unit {
            Some(unit) => q.mantissa / unit + i128::from(q.mantissa % unit != 0),
            // Smaller than any thousandth: rounds up to one.
            None => i128::from(q.mantissa > 0),
        }
    };
    Some(if q.negative { -magnitude } else { magnitude })
}

/// The form the API server stores a quantity in (apimachinery's `ParseQuantity` then
/// `String`): text already in canonical form is kept as written (`1500m`, `1Ki`, `1E3`);
/// otherwise `0.5` → `500m`, `1000m` → `1`, `2000` → `2k`, `1024Mi` → `1Gi`, `1.5Gi` →
/// `1536Mi`. `None` for a text that is not a quantity (validation reports it) or one too
/// long to rewrite here, which is then kept as written.
pub fn canonical_quantity(s: &str) -> Option<String> {
    let q = Exact::parse(s)?;
    if q.kept {
        return Some(s.trim().to_string());
    }
    q.canonical()
}

/// How a quantity is written, which decides how it is stored.
#[derive(Debug, Clone, Copy, PartialEq)]
enum QuantityFormat {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// A quantity's exact value, `mantissa × 10^scale` with its sign apart, rounded up to
/// nano as `ParseQuantity` rounds it, and how it was written.
#[derive(Debug, Clone, PartialEq)]
struct Exact {
    negative: bool,
    mantissa: i128,
    scale: i32,
    format: QuantityFormat,
    /// `ParseQuantity` keeps the text when it is already canonical.
    kept: bool,
}

/// Significant digits beyond which a quantity is not rewritten (apimachinery goes on with
/// arbitrary precision; tutorials never get near).
const MAX_DIGITS: usize = 30;

impl Exact {
    fn parse(s: &str) -> Option<Exact> {
        // Quantities are read with the spaces around them trimmed (`UnmarshalJSON`).
        let s = s.trim();
        if crate::api::schema::quantity_error(s).is_some() {
            return None;
        }
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-')))
            .unwrap_or(s.len());
        let (number, suffix) = s.split_at(split);
        let negative = number.starts_with('-');
        let unsigned = number.trim_start_matches(['+', '-']);
        let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        use QuantityFormat::*;
        let (format, exponent, binary) = match suffix {
            "" => (DecimalSi, 0, 0),
            "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
                let power = 1 + "KMGTPE".find(&suffix[..1]).unwrap_or(0) as u32;
                (BinarySi, 0, 10 * power)
            }
            "n" => (DecimalSi, -9, 0),
            "u" => (DecimalSi, -6, 0),
            "m" => (DecimalSi, -3, 0),
            "k" => (DecimalSi, 3, 0),
            "M" => (DecimalSi, 6, 0),
            "G" => (DecimalSi, 9, 0),
            "T" => (DecimalSi, 12, 0),
            "P" => (DecimalSi, 15, 0),
            "E" => (DecimalSi, 18, 0),
            e => {
                let exponent: i64 = e.get(1..)?.parse().ok()?;
                (
                    DecimalExponent,
                    i32::try_from(exponent)
                        .ok()
                        .filter(|x| x.unsigned_abs() <= 1000)?,
                    0,
                )
            }
        };
        // Leading zeros go before anything else looks at the digits ("0" if nothing is left).
        let int = match int.trim_start_matches('0') {
            "" => "0",
            n => n,
        };
        let shifted = format!("{int}{frac}");
        let scale = exponent - frac.len() as i32;
        // `ParseQuantity`'s fast path (at most 18 digits) keeps a text already in canonical
        // form: a scale that is a multiple of 3 and no leading zero or trailing "000"; for a
        // binary suffix, a whole number that 8 does not divide.
        let kept = shifted.len() <= 18
            && match format {
                BinarySi => {
                    let precision = 15 - int.len() as i64 - i64::from(binary) * 3 / 10 - 1;
                    frac.is_empty()
                        && precision >= 0
                        && shifted.parse::<u64>().is_ok_and(|v| v & 7 != 0)
                }
                _ => {
                    scale >= -9
                        && scale % 3 == 0
                        && !shifted.ends_with("000")
                        && !shifted.starts_with('0')
                }
            };
        let digits = shifted.trim_start_matches('0');
        let trimmed = digits.trim_end_matches('0');
        if trimmed.len() > MAX_DIGITS {
            return None;
        }
        let mut scale = scale.checked_add((digits.len() - trimmed.len()) as i32)?;
        let mut mantissa: i128 = if trimmed.is_empty() {
            0
        } else {
            trimmed.parse().ok()?
        };
        // A binary suffix multiplies before anything is rounded.
        mantissa = mantissa.checked_mul(1i128.checked_shl(binary)?)?;
        // Non-zero amounts below a nano round up to one nano.
        if scale < -9 && mantissa != 0 {
            let unit = u32::try_from(-9 - scale)
                .ok()
                .and_then(|d| 10i128.checked_pow(d));
            mantissa = match unit {
                Some(unit) => mantissa / unit + i128::from(mantissa % unit != 0),
                None => 1,
            };
            scale = -9;
        }
        let mut format = format;
        if format == BinarySi {
            // Binary amounts are capped at the largest int64 and below 1 are decimal.
            if Exact::above(mantissa, scale, i128::from(i64::MAX)) {
                mantissa = i128::from(i64::MAX);
                scale = 0;
            } else if Exact::below_one(mantissa, scale) {
                format = DecimalSi;
            }
        }
        if mantissa == 0 {
            scale = 0;
        }
        Some(Exact {
            negative,
            mantissa,
            scale,
            format,
            kept,
        })
    }

    /// `mantissa × 10^scale` as a whole number, if it is one and fits.
    fn whole(mantissa: i128, scale: i32) -> Option<i128> {
        if scale >= 0 {
            mantissa.checked_mul(10i128.checked_pow(u32::try_from(scale).ok()?)?)
        } else {
            let unit = 10i128.checked_pow(u32::try_from(-scale).ok()?)?;
            (mantissa % unit == 0).then(|| mantissa / unit)
        }
    }

    /// Whether `mantissa × 10^scale` is more than `cap`.
    fn above(mantissa: i128, scale: i32, cap: i128) -> bool {
        if scale >= 0 {
            let factor = u32::try_from(scale)
                .ok()
                .and_then(|s| 10i128.checked_pow(s));
            factor.is_none_or(|f| mantissa.checked_mul(f).is_none_or(|v| v > cap))
        } else {
            // mantissa > cap × 10^-scale; a product too large for i128 is not exceeded.
            let factor = u32::try_from(-scale)
                .ok()
                .and_then(|s| 10i128.checked_pow(s));
            factor
                .and_then(|f| cap.checked_mul(f))
                .is_some_and(|limit| mantissa > limit)
        }
    }

    fn below_one(mantissa: i128, scale: i32) -> bool {
        scale < 0
            && u32::try_from(-scale)
                .ok()
                .and_then(|d| 10i128.checked_pow(d))
                .is_none_or(|unit| mantissa < unit)
    }

    /// `CanonicalizeBytes`.
    fn canonical(&self) -> Option<String> {
        use QuantityFormat::*;
        if self.mantissa == 0 {
            return Some("0".into());
        }
        let sign = if self.negative { "-" } else { "" };
        let mut format = self.format;
        if format == BinarySi {
            // Binary when whole and at least 1024 in size; decimal otherwise.
            match Exact::whole(self.mantissa, self.scale).filter(|w| *w >= 1024) {
                Some(mut v) => {
                    let mut power = 0;
                    while v % 1024 == 0 && power < 6 {
                        v /= 1024;
                        power += 1;
                    }
                    let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power];
                    return Some(format!("{sign}{v}{suffix}"));
                }
                None => format = DecimalSi,
            }
        }
        // Trailing zeros (from a binary factor or rounding) move into the scale, which then
        // goes down to a multiple of 3.
        let (mut mantissa, mut scale) = (self.mantissa, self.scale);
        while mantissa % 10 == 0 {
            mantissa /= 10;
            scale = scale.checked_add(1)?;
        }
        let down = scale.rem_euclid(3);
        mantissa = mantissa.checked_mul(10i128.pow(down as u32))?;
        scale -= down;
        let suffix = match (format, scale) {
            (DecimalExponent, 0) => String::new(),
            (DecimalSi, -9) => "n".into(),
            (DecimalSi, -6) => "u".into(),
            (DecimalSi, -3) => "m".into(),
            (DecimalSi, 0) => String::new(),
            (DecimalSi, 3) => "k".into(),
            (DecimalSi, 6) => "M".into(),
            (DecimalSi, 9) => "G".into(),
            (DecimalSi, 12) => "T".into(),
            (DecimalSi, 15) => "P".into(),
            (DecimalSi, 18) => "E".into(),
            // Beyond the SI suffixes, and the exponent form: `e` and the exponent.
            (_, e) => format!("e{e}"),
        };
        Some(format!("{sign}{mantissa}{suffix}"))
    }
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
            ("12e6", "12e6"),
            ("1500e-3", "1500e-3"),
            ("1E", "1E"),
            // Text already canonical is kept as written.
            ("1E3", "1E3"),
            ("1e0", "1e0"),
            ("+1", "+1"),
            ("1Ki", "1Ki"),
            ("01", "01"),
            ("0100m", "0100m"),
            (".500", "500m"),
            (" 500m", "500m"),
            ("8.5Ei", "9223372036854775807"),
            ("0.158456325028528675187087900671Gi", "170141183460469232n"),
            // Binary: multiplied before rounding, capped, and decimal below 1024.
            ("0.0000000001Ki", "103n"),
            ("-1Ki", "-1Ki"),
            ("-2048Ki", "-2Mi"),
            ("-0.5Ki", "-512"),
            ("8Ei", "9223372036854775807"),
            ("1.000000000000000000000000000000", "1"),
            ("1e21", "1e21"),
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
        let q = |s: &str| Quantity(s.into());
        assert_eq!(q("1100u").exceeds(&q("1001u")), Some(true));
        assert_eq!(q("1").exceeds(&q("1000m")), Some(false));
        assert_eq!(q("1Ki").exceeds(&q("1000")), Some(true));
        assert_eq!(q("1e30").exceeds(&q("1n")), Some(true));
        assert_eq!(q("-1e30").exceeds(&q("1n")), Some(false));
        assert_eq!(q("x").exceeds(&q("1")), None);
        assert!(Quantity("-1e36".into()).negative());
        assert!(Quantity("-100u".into()).negative());
        assert!(!Quantity("-0".into()).negative());
        // Exponents far out are kept as written rather than computed.
        assert_eq!(canonical_quantity("1.5e-2147483648"), None);
        assert_eq!(canonical_quantity("10e2147483647"), None);
        // Every suffix the stored forms use reads back: thousandths, rounded up.
        for (text, milli) in [
            ("100u", 1),
            ("-100u", -1),
            ("5n", 1),
            ("1P", 1_000_000_000_000_000_000),
            ("1Pi", 1_125_899_906_842_624_000),
            ("1e3", 1_000_000),
            ("1500e-3", 1500),
            ("0", 0),
        ] {
            assert_eq!(parse_quantity_milli(text), Some(milli), "{text}");
        }
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
