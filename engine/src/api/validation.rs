//! What the API server's validation rejects and how it words it (k8s-semantics.md §10):
//! field errors rendered as `<path>: <type>[: <value>][: <detail>]`, the checks of
//! `ValidateDeployment` / `ValidateService` / the name validators in upstream order, and
//! kubectl's `The <Kind> "<name>" is invalid: …` wrapper.
//!
//! Offending values are rendered as JSON, as servers from v1.34 do. Validation runs on the
//! API server's internal types, so structs without JSON tags (the strategy, a toleration)
//! render with Go field names, exactly as those servers print them.

use crate::api::apps::{Deployment, DeploymentStrategy};
use crate::api::core::{
    Container, PodSpec, PodTemplateSpec, Probe, ResourceRequirements, Toleration,
};
use crate::api::json::{quote, to_json_compact};
use crate::api::meta::{IntOrString, LabelSelector, ObjectMeta, Quantity};
use crate::api::schema::quantity_error;
use crate::api::service::Service;
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One validation failure: which kind, with the rendered value and detail it reports.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorType {
    Required,
    Invalid(String, String),
    Forbidden(String),
    Unsupported(String, Vec<String>),
    Duplicate(String),
    TooLong(String, usize),
    /// `Required value: <detail>` (`name or generateName is required`).
    RequiredDetail(String),
    /// `Not found: <value>` (a volume mount naming no volume).
    NotFound(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub path: String,
    pub error: ErrorType,
}

impl FieldError {
    /// `field.Error.Error()`: `spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
    pub fn cause(&self) -> String {
        let body = match &self.error {
            ErrorType::Required => "Required value".to_string(),
            ErrorType::RequiredDetail(detail) => with_detail("Required value".into(), detail),
            ErrorType::Forbidden(detail) => with_detail("Forbidden".into(), detail),
            ErrorType::TooLong(_, max) => {
                let unit = if *max == 1 { "byte" } else { "bytes" };
                format!("Too long: may not be more than {max} {unit}")
            }
            ErrorType::Invalid(value, detail) => {
                with_detail(format!("Invalid value: {value}"), detail)
            }
            ErrorType::Unsupported(value, supported) => {
                let quoted: Vec<String> = supported.iter().map(|s| quote(s)).collect();
                let detail = if quoted.is_empty() {
                    String::new()
                } else {
                    format!("supported values: {}", quoted.join(", "))
                };
                with_detail(format!("Unsupported value: {value}"), &detail)
            }
            ErrorType::Duplicate(value) => format!("Duplicate value: {value}"),
            ErrorType::NotFound(value) => format!("Not found: {value}"),
        };
        format!("{}: {body}", self.path)
    }
}

fn with_detail(head: String, detail: &str) -> String {
    if detail.is_empty() {
        head
    } else {
        format!("{head}: {detail}")
    }
}

/// kubectl's text for a 422: one cause inline, several as `* cause` lines after a prefix
/// line that ends in `: ` (k8s-semantics.md §10).
pub fn format_invalid(kind: &str, name: &str, errs: &[FieldError]) -> String {
    let head = format!("The {kind} {} is invalid", quote(name));
    match errs {
        [] => head,
        [one] => format!("{head}: {}", one.cause()),
        many => {
            let lines: Vec<String> = many.iter().map(|e| format!("* {}", e.cause())).collect();
            format!("{head}: \n{}", lines.join("\n"))
        }
    }
}

/// The same error as `StatusError.Error()` words it, for a client that wraps it in its own
/// message: `Deployment.apps "web" is invalid: spec.replicas: …`, several causes in brackets.
pub fn status_error_text(invalid: &str, group: &str) -> String {
    let text = invalid.strip_prefix("The ").unwrap_or(invalid);
    let Some((head, body)) = text.split_once(" is invalid: ") else {
        return text.to_string();
    };
    let head = match head.split_once(' ') {
        Some((kind, name)) if !group.is_empty() => format!("{kind}.{group} {name}"),
        _ => head.to_string(),
    };
    let causes: Vec<&str> = body.lines().filter_map(|l| l.strip_prefix("* ")).collect();
    if causes.is_empty() {
        format!("{head} is invalid: {body}")
    } else {
        format!("{head} is invalid: [{}]", causes.join(", "))
    }
}

/// An offending value as current API servers print it (compact JSON).
pub fn render_value(v: &Value) -> String {
    to_json_compact(v)
}

fn render<T: serde::Serialize>(v: &T) -> String {
    render_value(&crate::api::yaml::to_value(v))
}

/// A label map as Go renders it: an absent (nil) map is `null`.
fn render_labels(m: &BTreeMap<String, String>) -> String {
    if m.is_empty() {
        "null".into()
    } else {
        render(m)
    }
}

fn render_int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::Str(s) => quote(s),
    }
}

// ---------------------------------------------------------------------------------------
// Format checks (k8s.io/apimachinery/pkg/util/validation), returning Go's messages
// ---------------------------------------------------------------------------------------

/// `validation.RegexError`: examples are joined with `, ` + ` or ` — hence the double space.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let shown: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{msg} (e.g. {}regex used for validation is '{fmt}')",
        shown.join(" or ")
    )
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_MSG: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const PERCENT_FMT: &str = "[0-9]+%";
const PERCENT_MSG: &str =
    "a valid percent string must be a numeric string followed by an ending '%'";
const NEGATIVE: &str = "must be greater than or equal to 0";
const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

/// Non-empty, only `allowed` characters, and `first` / `last` hold for the two ends.
fn shaped(
    s: &str,
    allowed: impl Fn(u8) -> bool,
    first: impl Fn(u8) -> bool,
    last: impl Fn(u8) -> bool,
) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => first(*f) && last(*l) && b.iter().all(|c| allowed(*c)),
        _ => false,
    }
}

fn lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn dns_label_chars(c: u8) -> bool {
    lower_alnum(c) || c == b'-'
}

fn matches_dns1123_label(s: &str) -> bool {
    shaped(s, dns_label_chars, lower_alnum, lower_alnum)
}

fn matches_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns1123_label)
}

fn is_dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !matches_dns1123_label(s) {
        if matches_dns1123_subdomain(s) {
            errs.push("must not contain dots".into());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_MSG,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

pub(crate) fn is_dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !matches_dns1123_subdomain(s) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

fn is_dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !shaped(s, dns_label_chars, |c| c.is_ascii_lowercase(), lower_alnum) {
        errs.push(regex_error(
            DNS1035_LABEL_MSG,
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

fn matches_label_key_name(s: &str) -> bool {
    let alnum = |c: u8| c.is_ascii_alphanumeric();
    shaped(
        s,
        |c| alnum(c) || matches!(c, b'-' | b'_' | b'.'),
        alnum,
        alnum,
    )
}

/// `IsQualifiedName` / `content.IsLabelKey`.
pub fn is_qualified_name(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let name = match key.split_once('/') {
        None => key,
        Some((_, rest)) if rest.contains('/') => {
            return vec![format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_MSG, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
            )];
        }
        Some((prefix, rest)) => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".into());
            } else {
                errs.extend(
                    is_dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            rest
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".into());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !matches_label_key_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                LABEL_KEY_MSG,
                LABEL_KEY_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

pub fn is_valid_label_value(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !v.is_empty() && !matches_label_key_name(v) {
        errs.push(regex_error(
            LABEL_VALUE_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

fn is_valid_percent(s: &str) -> Vec<String> {
    let ok = s
        .strip_suffix('%')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()));
    if ok {
        Vec::new()
    } else {
        vec![regex_error(PERCENT_MSG, PERCENT_FMT, &["1%", "93%"])]
    }
}

pub(crate) fn is_valid_port_name(port: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if port.len() > 15 {
        errs.push(max_len_error(15));
    }
    if port.is_empty() || !port.bytes().all(dns_label_chars) {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    }
    if !port.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".into());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".into());
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push("must not begin or end with a hyphen".into());
    }
    errs
}

fn valid_port(n: i64) -> bool {
    (1..=65535).contains(&n)
}

// ---------------------------------------------------------------------------------------
// Collecting errors
// ---------------------------------------------------------------------------------------

#[derive(Default)]
struct Errs(Vec<FieldError>);

impl Errs {
    fn push(&mut self, path: &str, error: ErrorType) {
        self.0.push(FieldError {
            path: path.to_string(),
            error,
        });
    }

    fn required(&mut self, path: &str) {
        self.push(path, ErrorType::Required);
    }

    fn required_because(&mut self, path: &str, detail: &str) {
        self.push(path, ErrorType::RequiredDetail(detail.into()));
    }

    fn invalid(&mut self, path: &str, value: String, detail: &str) {
        self.push(path, ErrorType::Invalid(value, detail.into()));
    }

    fn forbidden(&mut self, path: &str, detail: &str) {
        self.push(path, ErrorType::Forbidden(detail.into()));
    }

    fn unsupported(&mut self, path: &str, value: String, supported: &[&str]) {
        self.push(
            path,
            ErrorType::Unsupported(value, supported.iter().map(|s| s.to_string()).collect()),
        );
    }

    fn nonnegative(&mut self, path: &str, value: i64) {
        if value < 0 {
            self.invalid(path, value.to_string(), NEGATIVE);
        }
    }

    /// One `Invalid` per message, as the `for _, msg := range …` loops upstream do.
    fn each(&mut self, path: &str, value: &str, msgs: Vec<String>) {
        for msg in msgs {
            self.invalid(path, quote(value), &msg);
        }
    }

    /// `value` must be one of `supported`; empty is `Required`.
    fn one_of(&mut self, path: &str, value: &str, supported: &[&str]) {
        if value.is_empty() {
            self.required(path);
        } else if !supported.contains(&value) {
            self.unsupported(path, quote(value), supported);
        }
    }
}

fn child(path: &str, name: &str) -> String {
    format!("{path}.{name}")
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

// ---------------------------------------------------------------------------------------
// Object metadata
// ---------------------------------------------------------------------------------------

/// Which name rule a kind's `metadata.name` follows.
#[derive(Clone, Copy)]
enum NameRule {
    Subdomain,
    Label,
    Dns1035,
}

fn name_rule(kind: &str) -> NameRule {
    match kind {
        "Namespace" => NameRule::Label,
        "Service" => NameRule::Dns1035,
        _ => NameRule::Subdomain,
    }
}

/// The `ValidateNameFunc`s; a generateName prefix may end in `-`.
fn name_messages(rule: NameRule, name: &str, prefix: bool) -> Vec<String> {
    let masked = match name.strip_suffix('-') {
        Some(stem) if prefix => format!("{stem}a"),
        _ => name.to_string(),
    };
    let name = masked.as_str();
    match rule {
        NameRule::Subdomain => is_dns1123_subdomain(name),
        NameRule::Label => is_dns1123_label(name),
        NameRule::Dns1035 => is_dns1035_label(name),
    }
}

fn validate_name_into(errs: &mut Errs, rule: NameRule, name: &str) {
    if name.is_empty() {
        errs.required_because("metadata.name", "name or generateName is required");
    } else {
        errs.each("metadata.name", name, name_messages(rule, name, false));
    }
}

/// `metadata.name` of a new object of `kind`: DNS-1123 label for Namespace, DNS-1035 label
/// for Service, DNS-1123 subdomain otherwise.
pub fn validate_name(kind: &str, name: &str) -> Vec<FieldError> {
    let mut errs = Errs::default();
    validate_name_into(&mut errs, name_rule(kind), name);
    errs.0
}

fn validate_labels(errs: &mut Errs, labels: &BTreeMap<String, String>, path: &str) {
    for (k, v) in labels {
        errs.each(path, k, is_qualified_name(k));
        errs.each(path, v, is_valid_label_value(v));
    }
}

/// The labels or annotations of an object a command changed, as `ValidateObjectMeta`
/// checks them on update.
pub fn validate_label_map(map: &BTreeMap<String, String>, labels: bool) -> Vec<FieldError> {
    let mut errs = Errs::default();
    if labels {
        validate_labels(&mut errs, map, "metadata.labels");
    } else {
        validate_annotations(&mut errs, map, "metadata.annotations");
    }
    errs.0
}

/// Total size limit of all annotations (`TotalAnnotationSizeLimitB`).
const ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

fn validate_annotations(errs: &mut Errs, annotations: &BTreeMap<String, String>, path: &str) {
    for k in annotations.keys() {
        // Annotation keys are qualified names compared case-insensitively.
        errs.each(path, k, is_qualified_name(&k.to_lowercase()));
    }
    let size: usize = annotations.iter().map(|(k, v)| k.len() + v.len()).sum();
    if size > ANNOTATION_SIZE_LIMIT {
        errs.push(
            path,
            ErrorType::TooLong(String::new(), ANNOTATION_SIZE_LIMIT),
        );
    }
}

/// `ValidateObjectMeta` for a namespaced object (an unset namespace means `default`).
fn validate_meta(errs: &mut Errs, meta: &ObjectMeta, rule: NameRule, with_name: bool) {
    if let Some(g) = meta.generate_name.as_deref().filter(|g| !g.is_empty()) {
        errs.each("metadata.generateName", g, name_messages(rule, g, true));
    }
    if with_name {
        validate_name_into(errs, rule, &meta.name);
    }
    if let Some(ns) = meta.namespace.as_deref().filter(|n| !n.is_empty()) {
        errs.each("metadata.namespace", ns, is_dns1123_label(ns));
    }
    errs.nonnegative("metadata.generation", meta.generation.unwrap_or(0));
    validate_labels(errs, &meta.labels, "metadata.labels");
    validate_annotations(errs, &meta.annotations, "metadata.annotations");
}

// ---------------------------------------------------------------------------------------
// Deployment
// ---------------------------------------------------------------------------------------

/// The checks of `ValidateDeployment` (or `ValidateDeploymentUpdate` plus the registry's
/// selector immutability check when `old` is given), on an already defaulted object.
pub fn validate_deployment(d: &Deployment, old: Option<&Deployment>) -> Vec<FieldError> {
    let mut errs = Errs::default();
    validate_meta(&mut errs, &d.metadata, NameRule::Subdomain, true);
    validate_deployment_spec(&mut errs, d);
    if let Some(old) = old {
        if d.spec.selector != old.spec.selector {
            let shown = d
                .spec
                .selector
                .as_ref()
                .map_or_else(|| "null".to_string(), render);
            errs.invalid("spec.selector", shown, "field is immutable");
        }
    }
    errs.0
}

fn validate_deployment_spec(errs: &mut Errs, d: &Deployment) {
    let spec = &d.spec;
    let replicas = spec.replicas.unwrap_or(1);
    errs.nonnegative("spec.replicas", replicas);
    // kubesim's own rule, not upstream's: a page cannot run an unbounded cluster.
    let max = crate::apiserver::MAX_PODS;
    if replicas > max as i64 {
        let detail = format!("must be no more than {max} in kubesim, the most pods it simulates");
        errs.invalid("spec.replicas", replicas.to_string(), &detail);
    }
    let selector_ok = validate_selector(errs, spec.selector.as_ref());
    if selector_ok {
        validate_template_for_replica_set(
            errs,
            &spec.template,
            spec.selector.as_ref(),
            "spec.template",
        );
    } else if let Some(sel) = &spec.selector {
        errs.invalid("spec.selector", render(sel), "invalid label selector");
    }
    validate_strategy(errs, spec.strategy.as_ref());
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    errs.nonnegative("spec.minReadySeconds", min_ready);
    if let Some(limit) = spec.revision_history_limit {
        errs.nonnegative("spec.revisionHistoryLimit", limit);
    }
    if let Some(deadline) = spec.progress_deadline_seconds {
        errs.nonnegative("spec.progressDeadlineSeconds", deadline);
        if deadline <= min_ready {
            errs.invalid(
                "spec.progressDeadlineSeconds",
                deadline.to_string(),
                "must be greater than minReadySeconds",
            );
        }
    }
}

/// Checks the selector; false when `LabelSelectorAsSelector` would fail on it.
fn validate_selector(errs: &mut Errs, selector: Option<&LabelSelector>) -> bool {
    let Some(sel) = selector else {
        errs.required("spec.selector");
        return true;
    };
    let before = errs.0.len();
    validate_labels(errs, &sel.match_labels, "spec.selector.matchLabels");
    for (i, req) in sel.match_expressions.iter().enumerate() {
        let path = index("spec.selector.matchExpressions", i);
        match req.operator.as_str() {
            "In" | "NotIn" if req.values.is_empty() => errs.required_because(
                &child(&path, "values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            ),
            "Exists" | "DoesNotExist" if !req.values.is_empty() => errs.forbidden(
                &child(&path, "values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            ),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errs.invalid(
                &child(&path, "operator"),
                quote(other),
                "not a valid selector operator",
            ),
        }
        errs.each(&child(&path, "key"), &req.key, is_qualified_name(&req.key));
        for (j, v) in req.values.iter().enumerate() {
            errs.each(
                &index(&child(&path, "values"), j),
                v,
                is_valid_label_value(v),
            );
        }
    }
    let selector_valid = errs.0.len() == before;
    if sel.is_empty() {
        errs.invalid(
            "spec.selector",
            render(sel),
            "empty selector is invalid for deployment",
        );
    }
    selector_valid
}

fn validate_strategy(errs: &mut Errs, strategy: Option<&DeploymentStrategy>) {
    let default = DeploymentStrategy::default();
    let strategy = strategy.unwrap_or(&default);
    match strategy.type_.as_deref().unwrap_or("RollingUpdate") {
        "Recreate" => {
            if strategy.rolling_update.is_some() {
                errs.forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                );
            }
        }
        "RollingUpdate" => match &strategy.rolling_update {
            None => errs.required_because(
                "spec.strategy.rollingUpdate",
                "this should be defaulted and never be nil",
            ),
            Some(ru) => {
                let zero = IntOrString::Int(0);
                let unavailable = ru.max_unavailable.as_ref().unwrap_or(&zero);
                let surge = ru.max_surge.as_ref().unwrap_or(&zero);
                validate_rolling_update(errs, unavailable, surge);
            }
        },
        _ => errs.unsupported(
            "spec.strategy",
            internal_strategy_json(strategy),
            &["Recreate", "RollingUpdate"],
        ),
    }
}

/// The internal `apps.DeploymentStrategy` as encoding/json writes it (no JSON tags).
fn internal_strategy_json(s: &DeploymentStrategy) -> String {
    let rolling = match &s.rolling_update {
        None => "null".to_string(),
        Some(ru) => {
            let field = |v: &Option<IntOrString>| {
                v.as_ref()
                    .map_or_else(|| "0".to_string(), render_int_or_string)
            };
            format!(
                "{{\"MaxUnavailable\":{},\"MaxSurge\":{}}}",
                field(&ru.max_unavailable),
                field(&ru.max_surge)
            )
        }
    };
    format!(
        "{{\"Type\":{},\"RollingUpdate\":{rolling}}}",
        quote(s.type_.as_deref().unwrap_or(""))
    )
}

const UNAVAILABLE: &str = "spec.strategy.rollingUpdate.maxUnavailable";
const SURGE: &str = "spec.strategy.rollingUpdate.maxSurge";

fn validate_rolling_update(errs: &mut Errs, unavailable: &IntOrString, surge: &IntOrString) {
    validate_int_or_percent(errs, unavailable, UNAVAILABLE);
    validate_int_or_percent(errs, surge, SURGE);
    if int_or_percent_value(unavailable) == 0 && int_or_percent_value(surge) == 0 {
        errs.invalid(
            UNAVAILABLE,
            render_int_or_string(unavailable),
            "may not be 0 when `maxSurge` is 0",
        );
    }
    if percent_value(unavailable).is_some_and(|p| p > 100) {
        errs.invalid(
            UNAVAILABLE,
            render_int_or_string(unavailable),
            "must not be greater than 100%",
        );
    }
}

fn validate_int_or_percent(errs: &mut Errs, v: &IntOrString, path: &str) {
    match v {
        IntOrString::Str(s) => {
            for msg in is_valid_percent(s) {
                errs.invalid(path, quote(s), &msg);
            }
        }
        IntOrString::Int(i) => errs.nonnegative(path, *i),
    }
}

/// `getPercentValue`: the number before `%` (saturating, as `strconv.Atoi` clamps).
fn percent_value(v: &IntOrString) -> Option<i64> {
    match v {
        IntOrString::Str(s) if is_valid_percent(s).is_empty() => {
            let digits = s.trim_end_matches('%');
            Some(digits.parse().unwrap_or(i64::MAX))
        }
        _ => None,
    }
}

/// `getIntOrPercentValue`: a percent's number, else the int (a bad string counts as 0).
fn int_or_percent_value(v: &IntOrString) -> i64 {
    match (percent_value(v), v) {
        (Some(p), _) => p,
        (None, IntOrString::Int(i)) => *i,
        (None, IntOrString::Str(s)) => s.parse().unwrap_or(0),
    }
}

/// `ValidatePodTemplateSpecForReplicaSet`.
fn validate_template_for_replica_set(
    errs: &mut Errs,
    t: &PodTemplateSpec,
    selector: Option<&LabelSelector>,
    path: &str,
) {
    // A nil selector matches nothing; an empty one matches everything and is not checked.
    let checked = selector.is_none_or(|s| !s.is_empty());
    if checked && !selector.is_some_and(|s| s.matches(&t.metadata.labels)) {
        errs.invalid(
            &child(path, "metadata.labels"),
            render_labels(&t.metadata.labels),
            "`selector` does not match template `labels`",
        );
    }
    validate_pod_template(errs, t, path);
    let restart = t.spec.restart_policy.as_deref().unwrap_or("Always");
    if restart != "Always" {
        errs.unsupported(
            &child(path, "spec.restartPolicy"),
            quote(restart),
            &["Always"],
        );
    }
    if let Some(v) = t
        .spec
        .extra
        .get("activeDeadlineSeconds")
        .filter(|v| !v.is_null())
    {
        errs.invalid(
            &child(path, "spec.activeDeadlineSeconds"),
            render_value(v),
            "activeDeadlineSeconds in ReplicaSet is not Supported",
        );
    }
}

/// `ValidateResourceQuota`'s checks of `spec.hard`: resource names and non-negative
/// quantities.
pub fn validate_quota(q: &crate::api::core::ResourceQuota) -> Vec<FieldError> {
    let mut errs = Errs::default();
    for (name, value) in &q.spec.hard {
        let at = format!("spec.hard[{name}]");
        errs.each(&at, name, is_qualified_name(name));
        if let Some(msg) = quantity_error(value.0.trim()) {
            errs.invalid(&at, quote(&value.0), msg);
        } else if value.negative() {
            errs.invalid(&at, quote(&value.0), NEGATIVE);
        }
    }
    errs.0
}

/// `ValidatePodCreate` apart from `metadata.name` (see `validate_name`): labels,
/// annotations and the spec, on a defaulted pod.
pub fn validate_pod(p: &crate::api::core::Pod) -> Vec<FieldError> {
    let mut errs = Errs::default();
    validate_meta(&mut errs, &p.metadata, NameRule::Subdomain, false);
    validate_pod_spec(&mut errs, &p.spec, "spec");
    errs.0
}

/// `ValidatePodTemplateSpec`; its label errors sit under `<template>.labels` upstream.
fn validate_pod_template(errs: &mut Errs, t: &PodTemplateSpec, path: &str) {
    validate_labels(errs, &t.metadata.labels, &child(path, "labels"));
    validate_annotations(errs, &t.metadata.annotations, &child(path, "annotations"));
    validate_pod_spec(errs, &t.spec, &child(path, "spec"));
    if t.spec
        .extra
        .get("ephemeralContainers")
        .is_some_and(|v| v.as_sequence().is_some_and(|s| !s.is_empty()))
    {
        errs.forbidden(
            &child(path, "spec.ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        );
    }
}

fn validate_pod_spec(errs: &mut Errs, spec: &PodSpec, path: &str) {
    let volumes = validate_volumes(errs, spec.extra.get("volumes"), &child(path, "volumes"));
    validate_containers(errs, &spec.containers, &volumes, &child(path, "containers"));
    validate_init_containers(errs, spec, &volumes, &child(path, "initContainers"));
    errs.one_of(
        &child(path, "restartPolicy"),
        spec.restart_policy.as_deref().unwrap_or("Always"),
        &["Always", "OnFailure", "Never"],
    );
    errs.one_of(
        &child(path, "dnsPolicy"),
        spec.dns_policy.as_deref().unwrap_or("ClusterFirst"),
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
    );
    validate_labels(errs, &spec.node_selector, &child(path, "nodeSelector"));
    if let Some(grace) = spec.termination_grace_period_seconds {
        errs.nonnegative(&child(path, "terminationGracePeriodSeconds"), grace);
    }
    validate_tolerations(errs, &spec.tolerations, &child(path, "tolerations"));
}

/// `ValidateVolumes` (names and one source each); returns the names of valid volumes.
fn validate_volumes(errs: &mut Errs, volumes: Option<&Value>, path: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let Some(items) = volumes.and_then(Value::as_sequence) else {
        return names;
    };
    for (i, vol) in items.iter().enumerate() {
        let at = index(path, i);
        let before = errs.0.len();
        let name = vol.get("name").and_then(Value::as_str).unwrap_or("");
        if name.is_empty() {
            errs.required(&child(&at, "name"));
        } else {
            errs.each(&child(&at, "name"), name, is_dns1123_label(name));
        }
        let sources = vol.as_mapping().map_or(0, |m| {
            m.keys().filter(|k| k.as_str() != Some("name")).count()
        });
        if sources == 0 {
            errs.required_because(&at, "must specify a volume type");
        }
        if names.contains(name) {
            errs.push(&child(&at, "name"), ErrorType::Duplicate(quote(name)));
        } else if errs.0.len() == before {
            names.insert(name.to_string());
        }
    }
    names
}

fn validate_containers(
    errs: &mut Errs,
    containers: &[Container],
    volumes: &BTreeSet<String>,
    path: &str,
) {
    if containers.is_empty() {
        errs.required(path);
        return;
    }
    let mut seen = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        let at = index(path, i);
        validate_container(errs, c, volumes, &at);
        if !seen.insert(c.name.as_str()) {
            errs.push(&child(&at, "name"), ErrorType::Duplicate(quote(&c.name)));
        }
        validate_probes(errs, c, &at);
    }
}

/// `validateInitContainers`: each is a container, named apart from every other container;
/// only a sidecar (`restartPolicy: Always`) may have probes.
fn validate_init_containers(
    errs: &mut Errs,
    spec: &PodSpec,
    volumes: &BTreeSet<String>,
    path: &str,
) {
    let Some(items) = spec
        .extra
        .get("initContainers")
        .and_then(Value::as_sequence)
    else {
        return;
    };
    let mut seen: BTreeSet<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
    for (i, item) in items.iter().enumerate() {
        let at = index(path, i);
        let c = match crate::api::yaml::from_value::<Container>(item.clone()) {
            Ok(c) => c,
            Err(e) => {
                errs.push(&at, ErrorType::Invalid(String::new(), e));
                continue;
            }
        };
        validate_container(errs, &c, volumes, &at);
        if !seen.insert(c.name.clone()) {
            errs.push(&child(&at, "name"), ErrorType::Duplicate(quote(&c.name)));
        }
        let policy = item.get("restartPolicy").and_then(Value::as_str);
        if let Some(policy) = policy {
            errs.one_of(&child(&at, "restartPolicy"), policy, &["Always"]);
        }
        if policy != Some("Always") {
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                if item.get(probe).is_some() {
                    errs.forbidden(
                        &child(&at, probe),
                        "may not be set for init containers without restartPolicy=Always",
                    );
                }
            }
        }
    }
}

/// `validateContainerCommon`.
fn validate_container(errs: &mut Errs, c: &Container, volumes: &BTreeSet<String>, path: &str) {
    let name_path = child(path, "name");
    if c.name.is_empty() {
        errs.required(&name_path);
    } else {
        errs.each(&name_path, &c.name, is_dns1123_label(&c.name));
    }
    if c.image().is_empty() {
        errs.required(&child(path, "image"));
    }
    errs.one_of(
        &child(path, "terminationMessagePolicy"),
        c.termination_message_policy.as_deref().unwrap_or("File"),
        &["File", "FallbackToLogsOnError"],
    );
    validate_container_ports(errs, c, &child(path, "ports"));
    validate_env(errs, c.extra.get("env"), &child(path, "env"));
    validate_volume_mounts(
        errs,
        c.extra.get("volumeMounts"),
        volumes,
        &child(path, "volumeMounts"),
    );
    errs.one_of(
        &child(path, "imagePullPolicy"),
        c.image_pull_policy.as_deref().unwrap_or("IfNotPresent"),
        &["Always", "IfNotPresent", "Never"],
    );
    if let Some(r) = &c.resources {
        validate_resources(errs, r, &child(path, "resources"));
    }
}

const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];

fn validate_container_ports(errs: &mut Errs, c: &Container, path: &str) {
    let mut names = BTreeSet::new();
    for (i, p) in c.ports.iter().enumerate() {
        let at = index(path, i);
        if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
            let msgs = is_valid_port_name(name);
            if !msgs.is_empty() {
                errs.each(&child(&at, "name"), name, msgs);
            } else if !names.insert(name) {
                errs.push(&child(&at, "name"), ErrorType::Duplicate(quote(name)));
            }
        }
        if p.container_port == 0 {
            errs.required(&child(&at, "containerPort"));
        } else if !valid_port(p.container_port) {
            errs.invalid(
                &child(&at, "containerPort"),
                p.container_port.to_string(),
                PORT_RANGE,
            );
        }
        if let Some(host) = p
            .extra
            .get("hostPort")
            .and_then(Value::as_i64)
            .filter(|h| *h != 0)
        {
            if !valid_port(host) {
                errs.invalid(&child(&at, "hostPort"), host.to_string(), PORT_RANGE);
            }
        }
        errs.one_of(
            &child(&at, "protocol"),
            p.protocol.as_deref().unwrap_or("TCP"),
            PROTOCOLS,
        );
    }
}

fn validate_env(errs: &mut Errs, env: Option<&Value>, path: &str) {
    let Some(items) = env.and_then(Value::as_sequence) else {
        return;
    };
    for (i, e) in items.iter().enumerate() {
        if e.get("name")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            errs.required(&child(&index(path, i), "name"));
        }
    }
}

fn validate_volume_mounts(
    errs: &mut Errs,
    mounts: Option<&Value>,
    volumes: &BTreeSet<String>,
    path: &str,
) {
    let Some(items) = mounts.and_then(Value::as_sequence) else {
        return;
    };
    let mut mount_points = BTreeSet::new();
    for (i, m) in items.iter().enumerate() {
        let at = index(path, i);
        let name = m.get("name").and_then(Value::as_str).unwrap_or("");
        if name.is_empty() {
            errs.required(&child(&at, "name"));
        }
        if !volumes.contains(name) {
            errs.push(&child(&at, "name"), ErrorType::NotFound(quote(name)));
        }
        let mount_path = m.get("mountPath").and_then(Value::as_str).unwrap_or("");
        if mount_path.is_empty() {
            errs.required(&child(&at, "mountPath"));
        }
        if !mount_points.insert(mount_path) {
            errs.invalid(
                &child(&at, "mountPath"),
                quote(mount_path),
                "must be unique",
            );
        }
    }
}

/// Resource names a container may request without a domain prefix.
fn is_standard_container_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-")
}

fn validate_resources(errs: &mut Errs, r: &ResourceRequirements, path: &str) {
    for (name, q) in &r.limits {
        validate_resource(errs, name, q, &format!("{path}.limits[{name}]"));
    }
    for (name, q) in &r.requests {
        validate_resource(errs, name, q, &format!("{path}.requests[{name}]"));
        let Some(limit) = r.limits.get(name) else {
            continue;
        };
        // Compared exactly, not in rounded thousandths.
        if q.exceeds(limit) == Some(true) {
            let detail = format!("must be less than or equal to {name} limit of {}", limit.0);
            errs.invalid(&child(path, "requests"), quote(&q.0), &detail);
        }
    }
}

fn validate_resource(errs: &mut Errs, name: &str, q: &Quantity, at: &str) {
    errs.each(at, name, is_qualified_name(name));
    if !name.contains('/') && !is_standard_container_resource(name) {
        errs.invalid(
            at,
            quote(name),
            "must be a standard resource for containers",
        );
    }
    if let Some(msg) = quantity_error(q.0.trim()) {
        errs.invalid(at, quote(&q.0), msg);
    } else if q.negative() {
        errs.invalid(at, quote(&q.0), NEGATIVE);
    }
}

/// Liveness, readiness and startup probes, in the order `validateContainers` checks them.
fn validate_probes(errs: &mut Errs, c: &Container, path: &str) {
    let decode = |key: &str| -> Option<Probe> {
        c.extra
            .get(key)
            .filter(|v| !v.is_null())
            .and_then(|v| crate::api::yaml::from_value(v.clone()).ok())
    };
    if let Some(p) = decode("livenessProbe") {
        validate_probe(errs, &p, &child(path, "livenessProbe"), ProbeKind::Liveness);
    }
    if let Some(p) = &c.readiness_probe {
        validate_probe(
            errs,
            p,
            &child(path, "readinessProbe"),
            ProbeKind::Readiness,
        );
    }
    if let Some(p) = decode("startupProbe") {
        validate_probe(errs, &p, &child(path, "startupProbe"), ProbeKind::Startup);
    }
}

#[derive(Clone, Copy, PartialEq)]
enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

fn validate_probe(errs: &mut Errs, p: &Probe, path: &str, kind: ProbeKind) {
    let grace = p
        .extra
        .get("terminationGracePeriodSeconds")
        .filter(|v| !v.is_null());
    let success = p.success_threshold.unwrap_or(1);
    match kind {
        ProbeKind::Readiness => {
            if let Some(g) = grace {
                errs.invalid(
                    &child(path, "terminationGracePeriodSeconds"),
                    render_value(g),
                    "must not be set for readinessProbes",
                );
            }
        }
        _ if success != 1 => errs.invalid(
            &child(path, "successThreshold"),
            success.to_string(),
            "must be 1",
        ),
        _ => {}
    }
    validate_handler(errs, p, path);
    for (name, value) in [
        ("initialDelaySeconds", p.initial_delay_seconds),
        ("timeoutSeconds", p.timeout_seconds),
        ("periodSeconds", p.period_seconds),
        ("successThreshold", p.success_threshold),
        ("failureThreshold", p.failure_threshold),
    ] {
        errs.nonnegative(&child(path, name), value.unwrap_or(0));
    }
    if let Some(g) = grace.and_then(Value::as_i64).filter(|g| *g <= 0) {
        errs.invalid(
            &child(path, "terminationGracePeriodSeconds"),
            g.to_string(),
            "must be greater than 0",
        );
    }
}

/// Exactly one handler, each checked as upstream's `validateHandler` does.
fn validate_handler(errs: &mut Errs, p: &Probe, path: &str) {
    let mut handlers = 0;
    let mut one = |errs: &mut Errs, name: &str| -> bool {
        if handlers > 0 {
            errs.forbidden(
                &child(path, name),
                "may not specify more than 1 handler type",
            );
            return false;
        }
        handlers += 1;
        true
    };
    if let Some(exec) = &p.exec {
        if one(errs, "exec") && exec.command.is_empty() {
            errs.required(&child(path, "exec.command"));
        }
    }
    if let Some(http) = &p.http_get {
        if one(errs, "httpGet") {
            validate_port_num_or_name(errs, &http.port, &child(path, "httpGet.port"));
            let scheme = http.scheme.as_deref().unwrap_or("HTTP");
            if !["HTTP", "HTTPS"].contains(&scheme) {
                errs.unsupported(
                    &child(path, "httpGet.scheme"),
                    quote(scheme),
                    &["HTTP", "HTTPS"],
                );
            }
        }
    }
    if let Some(tcp) = &p.tcp_socket {
        if one(errs, "tcpSocket") {
            validate_port_num_or_name(errs, &tcp.port, &child(path, "tcpSocket.port"));
        }
    }
    if let Some(grpc) = p.extra.get("grpc").filter(|v| !v.is_null()) {
        if one(errs, "grpc") {
            let port = grpc.get("port").and_then(Value::as_i64).unwrap_or(0);
            if !valid_port(port) {
                errs.invalid(&child(path, "grpc.port"), port.to_string(), PORT_RANGE);
            }
        }
    }
    if handlers == 0 {
        errs.required_because(path, "must specify a handler type");
    }
}

fn validate_port_num_or_name(errs: &mut Errs, port: &IntOrString, path: &str) {
    match port {
        IntOrString::Int(n) if !valid_port(*n) => errs.invalid(path, n.to_string(), PORT_RANGE),
        IntOrString::Int(_) => {}
        IntOrString::Str(name) => errs.each(path, name, is_valid_port_name(name)),
    }
}

fn validate_tolerations(errs: &mut Errs, tolerations: &[Toleration], path: &str) {
    for (i, t) in tolerations.iter().enumerate() {
        let at = index(path, i);
        let key = t.key.as_deref().unwrap_or("");
        let operator = t.operator.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        let effect = t.effect.as_deref().unwrap_or("");
        if !key.is_empty() {
            errs.each(&child(&at, "key"), key, is_qualified_name(key));
        }
        if key.is_empty() && operator != "Exists" {
            errs.invalid(
                &child(&at, "operator"),
                quote(operator),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            );
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            errs.invalid(
                &child(&at, "effect"),
                quote(effect),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            );
        }
        match operator {
            "Equal" | "" => {
                let msgs = is_valid_label_value(value);
                if !msgs.is_empty() {
                    errs.invalid(&child(&at, "operator"), quote(value), &msgs.join(";"));
                }
            }
            "Exists" if !value.is_empty() => errs.invalid(
                &child(&at, "operator"),
                internal_toleration_json(t),
                "value must be empty when `operator` is 'Exists'",
            ),
            "Exists" => {}
            other => errs.unsupported(&child(&at, "operator"), quote(other), &["Equal", "Exists"]),
        }
        if !effect.is_empty() && !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&effect)
        {
            errs.unsupported(
                &child(&at, "effect"),
                quote(effect),
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            );
        }
    }
}

/// The internal `core.Toleration` as encoding/json writes it (no JSON tags).
fn internal_toleration_json(t: &Toleration) -> String {
    let s = |v: &Option<String>| quote(v.as_deref().unwrap_or(""));
    let seconds = t
        .toleration_seconds
        .map_or_else(|| "null".to_string(), |n| n.to_string());
    format!(
        "{{\"Key\":{},\"Operator\":{},\"Value\":{},\"Effect\":{},\"TolerationSeconds\":{seconds}}}",
        s(&t.key),
        s(&t.operator),
        s(&t.value),
        s(&t.effect)
    )
}

// ---------------------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------------------

/// `ValidateService` apart from `metadata.name` (see `validate_name`): labels, ports,
/// selector, type and session affinity.
pub fn validate_service(s: &Service) -> Vec<FieldError> {
    let mut errs = Errs::default();
    validate_meta(&mut errs, &s.metadata, NameRule::Dns1035, false);
    let spec = &s.spec;
    let service_type = spec.type_.as_deref().unwrap_or("ClusterIP");
    let headless = spec.cluster_ip.as_deref() == Some("None");
    if spec.ports.is_empty() && !headless && service_type != "ExternalName" {
        errs.required("spec.ports");
    }
    let mut names = BTreeSet::new();
    let require_name = spec.ports.len() > 1;
    for (i, p) in spec.ports.iter().enumerate() {
        let at = index("spec.ports", i);
        let name = p.name.as_deref().unwrap_or("");
        if require_name && name.is_empty() {
            errs.required(&child(&at, "name"));
        } else if !name.is_empty() {
            errs.each(&child(&at, "name"), name, is_dns1123_label(name));
            if !names.insert(name) {
                errs.push(&child(&at, "name"), ErrorType::Duplicate(quote(name)));
            }
        }
        if !valid_port(p.port) {
            errs.invalid(&child(&at, "port"), p.port.to_string(), PORT_RANGE);
        }
        errs.one_of(
            &child(&at, "protocol"),
            p.protocol.as_deref().unwrap_or("TCP"),
            PROTOCOLS,
        );
        let target = p.target_port.clone().unwrap_or(IntOrString::Int(p.port));
        validate_port_num_or_name(&mut errs, &target, &child(&at, "targetPort"));
    }
    // A node port outside NodePort and LoadBalancer Services is refused here; its range and
    // whether it is free are the allocator's to check (`default_service_addresses`).
    let mut node_ports = BTreeSet::new();
    for (i, p) in spec.ports.iter().enumerate() {
        let Some(n) = p.node_port.filter(|n| *n != 0) else {
            continue;
        };
        let at = child(&index("spec.ports", i), "nodePort");
        if service_type == "ClusterIP" {
            errs.forbidden(&at, "may not be used when `type` is 'ClusterIP'");
        } else if !node_ports.insert((p.protocol.as_deref().unwrap_or("TCP"), n)) {
            errs.push(&at, ErrorType::Duplicate(n.to_string()));
        }
    }
    validate_labels(&mut errs, &spec.selector, "spec.selector");
    errs.one_of(
        "spec.sessionAffinity",
        spec.session_affinity.as_deref().unwrap_or("None"),
        &["ClientIP", "None"],
    );
    errs.one_of(
        "spec.type",
        service_type,
        &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
    );
    let ip = spec.cluster_ip.as_deref().unwrap_or("");
    if !ip.is_empty() && ip != "None" && ip.parse::<std::net::IpAddr>().is_err() {
        errs.invalid(
            "spec.clusterIPs[0]",
            quote(ip),
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        );
    }
    errs.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_error_text_words_the_error_as_go_clients_print_it() {
        let errs = [
            FieldError {
                path: "spec.replicas".into(),
                error: ErrorType::Invalid("-1".into(), "must be greater than or equal to 0".into()),
            },
            FieldError {
                path: "metadata.name".into(),
                error: ErrorType::Invalid("\"X\"".into(), "bad".into()),
            },
        ];
        let one = format_invalid("Deployment", "x", &errs[..1]);
        assert_eq!(
            status_error_text(&one, "apps"),
            "Deployment.apps \"x\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        let both = format_invalid("Deployment", "x", &errs);
        assert_eq!(
            status_error_text(&both, "apps"),
            "Deployment.apps \"x\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, metadata.name: Invalid value: \"X\": bad]"
        );
    }
    use crate::api::{defaults, yaml};

    const BASE: &str = "
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
";

    /// BASE with `edit` applied to its value, decoded and defaulted like the API server does.
    fn deployment(edit: impl FnOnce(&mut Value)) -> Deployment {
        let mut v: Value = serde_yaml::from_str(BASE).unwrap_or(Value::Null);
        edit(&mut v);
        let mut d: Deployment = yaml::from_value(v).unwrap_or_default();
        defaults::deployment(&mut d);
        d
    }

    fn set(v: &mut Value, path: &[&str], new: &str) {
        let mut cur = v;
        for key in &path[..path.len() - 1] {
            cur = &mut cur[*key];
        }
        cur[path[path.len() - 1]] = serde_yaml::from_str(new).unwrap_or(Value::Null);
    }

    fn causes(d: &Deployment) -> Vec<String> {
        validate_deployment(d, None)
            .iter()
            .map(FieldError::cause)
            .collect()
    }

    fn one(edit: impl FnOnce(&mut Value)) -> String {
        let c = causes(&deployment(edit));
        assert_eq!(c.len(), 1, "{c:#?}");
        c.into_iter().next().unwrap_or_default()
    }

    #[test]
    fn a_valid_deployment_has_no_errors() {
        assert_eq!(causes(&deployment(|_| {})), Vec::<String>::new());
    }

    #[test]
    fn negative_replicas() {
        let d = deployment(|v| set(v, &["spec", "replicas"], "-1"));
        let errs = validate_deployment(&d, None);
        assert_eq!(
            format_invalid("Deployment", "api", &errs),
            "The Deployment \"api\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
    }

    #[test]
    fn missing_selector_also_fails_the_template_match() {
        let d = deployment(|v| set(v, &["spec", "selector"], "null"));
        let errs = validate_deployment(&d, None);
        assert_eq!(
            format_invalid("Deployment", "web", &errs),
            "The Deployment \"web\" is invalid: \n\
             * spec.selector: Required value\n\
             * spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"
        );
    }

    #[test]
    fn empty_selector_is_invalid() {
        assert_eq!(
            one(|v| set(v, &["spec", "selector"], "{}")),
            "spec.selector: Invalid value: {}: empty selector is invalid for deployment"
        );
    }

    #[test]
    fn selector_must_match_template_labels() {
        assert_eq!(
            one(|v| set(v, &["spec", "template", "metadata", "labels"], "{app: other}")),
            "spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: `selector` does not match template `labels`"
        );
    }

    #[test]
    fn containers_are_required() {
        assert_eq!(
            one(|v| set(v, &["spec", "template", "spec", "containers"], "[]")),
            "spec.template.spec.containers: Required value"
        );
    }

    #[test]
    fn max_surge_and_max_unavailable_may_not_both_be_zero() {
        let zero = one(|v| {
            set(
                v,
                &["spec", "strategy"],
                "{rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}",
            )
        });
        assert_eq!(zero, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0");
        let percent = one(|v| {
            set(
                v,
                &["spec", "strategy"],
                "{rollingUpdate: {maxSurge: 0%, maxUnavailable: 0%}}",
            )
        });
        assert_eq!(percent, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0");
    }

    #[test]
    fn max_unavailable_may_not_exceed_100_percent() {
        assert_eq!(
            one(|v| set(v, &["spec", "strategy"], "{rollingUpdate: {maxUnavailable: 110%}}")),
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"110%\": must not be greater than 100%"
        );
    }

    #[test]
    fn bad_percent_strings_quote_the_regex_with_a_double_space() {
        assert_eq!(
            one(|v| set(v, &["spec", "strategy"], "{rollingUpdate: {maxSurge: 20Percent}}")),
            "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"20Percent\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
        );
    }

    #[test]
    fn negative_max_surge() {
        assert_eq!(
            one(|v| set(v, &["spec", "strategy"], "{rollingUpdate: {maxSurge: -1}}")),
            "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0"
        );
    }

    #[test]
    fn rolling_update_is_forbidden_with_recreate() {
        assert_eq!(
            one(|v| set(v, &["spec", "strategy"], "{type: Recreate, rollingUpdate: {maxSurge: 1}}")),
            "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"
        );
    }

    #[test]
    fn unknown_strategy_type_reports_the_internal_strategy() {
        assert_eq!(
            one(|v| set(v, &["spec", "strategy"], "{type: Blue}")),
            "spec.strategy: Unsupported value: {\"Type\":\"Blue\",\"RollingUpdate\":null}: supported values: \"Recreate\", \"RollingUpdate\""
        );
    }

    #[test]
    fn restart_policy_must_be_always() {
        assert_eq!(
            one(|v| set(v, &["spec", "template", "spec", "restartPolicy"], "Never")),
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
        );
    }

    #[test]
    fn progress_deadline_must_exceed_min_ready_seconds() {
        let c = causes(&deployment(|v| {
            set(v, &["spec", "minReadySeconds"], "10");
            set(v, &["spec", "progressDeadlineSeconds"], "5");
        }));
        assert_eq!(c, ["spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds"]);
    }

    #[test]
    fn negative_min_ready_seconds_and_history_limit() {
        let c = causes(&deployment(|v| {
            set(v, &["spec", "minReadySeconds"], "-1");
            set(v, &["spec", "revisionHistoryLimit"], "-1");
        }));
        assert_eq!(
            c,
            [
                "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
                "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
            ]
        );
    }

    #[test]
    fn changing_the_selector_on_update_is_rejected_after_spec_checks() {
        let old = deployment(|_| {});
        let new = deployment(|v| set(v, &["spec", "selector"], "{matchLabels: {app: web2}}"));
        let errs = validate_deployment(&new, Some(&old));
        assert_eq!(
            format_invalid("Deployment", "web", &errs),
            "The Deployment \"web\" is invalid: \n\
             * spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`\n\
             * spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web2\"}}: field is immutable"
        );
        assert!(validate_deployment(&old, Some(&old)).is_empty());
    }

    #[test]
    fn bad_names_quote_the_subdomain_regex() {
        assert_eq!(
            one(|v| set(v, &["metadata", "name"], "Web")),
            "metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        );
        let long = "a".repeat(254);
        assert_eq!(
            validate_name("Deployment", &long)[0].cause(),
            "metadata.name: Invalid value: \"".to_string()
                + &long
                + "\": must be no more than 253 characters"
        );
    }

    #[test]
    fn names_per_kind() {
        assert_eq!(
            validate_name("Pod", "")[0].cause(),
            "metadata.name: Required value: name or generateName is required"
        );
        assert_eq!(
            validate_name("Namespace", "my.ns")[0].cause(),
            "metadata.name: Invalid value: \"my.ns\": must not contain dots"
        );
        assert_eq!(
            validate_name("Namespace", "Prod")[0].cause(),
            "metadata.name: Invalid value: \"Prod\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        );
        assert_eq!(
            validate_name("Service", "1web")[0].cause(),
            "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        );
        assert!(validate_name("Service", "web").is_empty());
        assert!(validate_name("Node", "node-1.example.com").is_empty());
    }

    #[test]
    fn label_keys_and_values_are_checked() {
        assert_eq!(
            one(|v| set(v, &["metadata", "labels"], "{-ltier: x}")),
            "metadata.labels: Invalid value: \"-ltier\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        );
        let long = "v".repeat(64);
        assert_eq!(
            one(|v| set(v, &["metadata", "labels"], &format!("{{tier: {long}}}"))),
            format!(
                "metadata.labels: Invalid value: \"{long}\": must be no more than 63 characters"
            )
        );
        assert_eq!(
            one(|v| set(v, &["metadata", "labels"], "{tier: -x}")),
            "metadata.labels: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );
    }

    #[test]
    fn container_names_images_and_policies() {
        let c = causes(&deployment(|v| {
            set(
                v,
                &["spec", "template", "spec", "containers"],
                "[{name: web, image: a}, {name: web, image: b}, {name: Web_1, image: c}, {name: d, imagePullPolicy: Sometimes}]",
            )
        }));
        assert_eq!(c, [
            "spec.template.spec.containers[1].name: Duplicate value: \"web\"",
            "spec.template.spec.containers[2].name: Invalid value: \"Web_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
            "spec.template.spec.containers[3].image: Required value",
            "spec.template.spec.containers[3].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
        ]);
    }

    #[test]
    fn container_ports_must_be_in_range() {
        let c = causes(&deployment(|v| {
            set(
                &mut v["spec"]["template"]["spec"]["containers"][0],
                &["ports"],
                "[{containerPort: 70000}, {containerPort: 80, name: HTTP, protocol: HTTP}]",
            );
        }));
        assert_eq!(c, [
            "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.template.spec.containers[0].ports[1].name: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "spec.template.spec.containers[0].ports[1].name: Invalid value: \"HTTP\": must contain at least one letter (a-z)",
            "spec.template.spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        ]);
    }

    #[test]
    fn probe_fields_follow_upstream_rules() {
        let c = causes(&deployment(|v| {
            let ctr = &mut v["spec"]["template"]["spec"]["containers"][0];
            set(
                ctr,
                &["readinessProbe"],
                "{httpGet: {port: 0}, periodSeconds: -1}",
            );
            set(
                ctr,
                &["livenessProbe"],
                "{tcpSocket: {port: http}, successThreshold: 2}",
            );
            set(ctr, &["startupProbe"], "{initialDelaySeconds: 1}");
        }));
        assert_eq!(c, [
            "spec.template.spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            "spec.template.spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.template.spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
            "spec.template.spec.containers[0].startupProbe: Required value: must specify a handler type",
        ]);
    }

    #[test]
    fn volume_mounts_must_name_a_volume() {
        let c = causes(&deployment(|v| {
            set(
                &mut v["spec"]["template"]["spec"],
                &["volumes"],
                "[{name: data, emptyDir: {}}]",
            );
            set(
                &mut v["spec"]["template"]["spec"]["containers"][0],
                &["volumeMounts"],
                "[{name: cache, mountPath: /c}, {name: data}]",
            );
        }));
        assert_eq!(
            c,
            [
                "spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"cache\"",
                "spec.template.spec.containers[0].volumeMounts[1].mountPath: Required value",
            ]
        );
    }

    #[test]
    fn resource_quantities_are_checked() {
        // Requests default to limits on pods, not on a Deployment's template (SetDefaults_Pod),
        // so `gpu` is reported once.
        let c = causes(&deployment(|v| {
            set(
                &mut v["spec"]["template"]["spec"]["containers"][0],
                &["resources"],
                "{limits: {cpu: 500m, gpu: 1}, requests: {cpu: '1'}}",
            );
        }));
        assert_eq!(c, [
            "spec.template.spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
            "spec.template.spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu limit of 500m",
        ]);
    }

    #[test]
    fn tolerations_with_exists_may_not_have_a_value() {
        assert_eq!(
            one(|v| set(&mut v["spec"]["template"]["spec"], &["tolerations"], "[{key: k, operator: Exists, value: v}]")),
            "spec.template.spec.tolerations[0].operator: Invalid value: {\"Key\":\"k\",\"Operator\":\"Exists\",\"Value\":\"v\",\"Effect\":\"\",\"TolerationSeconds\":null}: value must be empty when `operator` is 'Exists'"
        );
    }

    fn service(text: &str) -> Service {
        let mut s: Service =
            yaml::from_value(serde_yaml::from_str(text).unwrap_or(Value::Null)).unwrap_or_default();
        defaults::service(&mut s);
        s
    }

    #[test]
    fn services_need_valid_ports() {
        let ok =
            service("metadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n");
        assert!(validate_service(&ok).is_empty());
        let none = service("metadata: {name: web}\nspec: {selector: {app: web}}\n");
        assert_eq!(
            validate_service(&none)[0].cause(),
            "spec.ports: Required value"
        );
        let bad = service("metadata: {name: web}\nspec: {ports: [{port: 0, targetPort: 8080}, {port: 443, name: https}]}\n");
        let c: Vec<String> = validate_service(&bad)
            .iter()
            .map(FieldError::cause)
            .collect();
        assert_eq!(
            c,
            [
                "spec.ports[0].name: Required value",
                "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            ]
        );
    }

    #[test]
    fn service_selectors_use_label_syntax() {
        let s =
            service("metadata: {name: web}\nspec: {selector: {app: -web}, ports: [{port: 80}]}\n");
        assert!(validate_service(&s)[0]
            .cause()
            .starts_with("spec.selector: Invalid value: \"-web\": a valid label must be"));
    }

    #[test]
    fn causes_render_every_error_type() {
        let e = |error| FieldError {
            path: "p".into(),
            error,
        };
        assert_eq!(e(ErrorType::Required).cause(), "p: Required value");
        assert_eq!(
            e(ErrorType::Invalid("1".into(), String::new())).cause(),
            "p: Invalid value: 1"
        );
        assert_eq!(
            e(ErrorType::Forbidden(String::new())).cause(),
            "p: Forbidden"
        );
        assert_eq!(
            e(ErrorType::Unsupported("\"x\"".into(), vec![])).cause(),
            "p: Unsupported value: \"x\""
        );
        assert_eq!(
            e(ErrorType::TooLong(String::new(), 262144)).cause(),
            "p: Too long: may not be more than 262144 bytes"
        );
        assert_eq!(
            e(ErrorType::NotFound("\"v\"".into())).cause(),
            "p: Not found: \"v\""
        );
        assert_eq!(format_invalid("Pod", "x", &[]), "The Pod \"x\" is invalid");
    }
}
