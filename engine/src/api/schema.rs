//! Strict decoding as the API server does it for the kinds kubesim applies: a static table of
//! the real Kubernetes field names and Go types, used to report unknown fields
//! (`strict decoding error: unknown field "spec.replica"`) and JSON type mismatches
//! (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`).
//!
//! The server decodes the JSON kubectl sends, and kubectl writes object keys sorted, so
//! fields are visited in sorted key order; that order decides which type error comes first
//! and the order of the unknown fields.

use crate::api::json::{go_format_float, key_string};
use serde_yaml::Value;
use std::collections::BTreeMap;

/// The server stops collecting strict errors after this many (sigs.k8s.io/json).
const MAX_STRICT_ERRORS: usize = 100;
const MAX_DEPTH: usize = 200;

/// The Go type a JSON value decodes into.
#[derive(Clone, Copy)]
enum Ty {
    Struct(&'static Struct),
    /// An object whose fields are not described here (the Go type name for type errors).
    Open(&'static str),
    Any,
    /// A string kind: `string` or a named string type such as `v1.RestartPolicy`.
    Str(&'static str),
    /// `int32` or `int64`.
    Int(&'static str, i64, i64),
    Bool,
    IntOrString,
    Quantity,
    Time,
    /// `map[string]string`.
    Labels,
    /// `v1.ResourceList`: quantities by resource name.
    Resources,
    List(&'static str, &'static Ty),
}

struct Struct {
    go: &'static str,
    fields: &'static [(&'static str, Ty)],
}

const STRING: Ty = Ty::Str("string");
const INT32: Ty = Ty::Int("int32", i32::MIN as i64, i32::MAX as i64);
const INT64: Ty = Ty::Int("int64", i64::MIN, i64::MAX);
const STRINGS: Ty = Ty::List("[]string", &STRING);

static TYPE_META: [(&str, Ty); 2] = [("apiVersion", STRING), ("kind", STRING)];

static OBJECT_META: Struct = Struct {
    go: "ObjectMeta",
    fields: &[
        ("annotations", Ty::Labels),
        ("creationTimestamp", Ty::Time),
        ("deletionGracePeriodSeconds", INT64),
        ("deletionTimestamp", Ty::Time),
        ("finalizers", STRINGS),
        ("generateName", STRING),
        ("generation", INT64),
        ("labels", Ty::Labels),
        (
            "managedFields",
            Ty::List(
                "[]v1.ManagedFieldsEntry",
                &Ty::Struct(&MANAGED_FIELDS_ENTRY),
            ),
        ),
        ("name", STRING),
        ("namespace", STRING),
        (
            "ownerReferences",
            Ty::List("[]v1.OwnerReference", &Ty::Struct(&OWNER_REFERENCE)),
        ),
        ("resourceVersion", STRING),
        ("selfLink", STRING),
        ("uid", Ty::Str("types.UID")),
    ],
};

static OWNER_REFERENCE: Struct = Struct {
    go: "OwnerReference",
    fields: &[
        ("apiVersion", STRING),
        ("blockOwnerDeletion", Ty::Bool),
        ("controller", Ty::Bool),
        ("kind", STRING),
        ("name", STRING),
        ("uid", Ty::Str("types.UID")),
    ],
};

static MANAGED_FIELDS_ENTRY: Struct = Struct {
    go: "ManagedFieldsEntry",
    fields: &[
        ("apiVersion", STRING),
        ("fieldsType", STRING),
        ("fieldsV1", Ty::Any),
        ("manager", STRING),
        ("operation", Ty::Str("v1.ManagedFieldsOperationType")),
        ("subresource", STRING),
        ("time", Ty::Time),
    ],
};

static LABEL_SELECTOR: Struct = Struct {
    go: "LabelSelector",
    fields: &[
        (
            "matchExpressions",
            Ty::List(
                "[]v1.LabelSelectorRequirement",
                &Ty::Struct(&LABEL_SELECTOR_REQUIREMENT),
            ),
        ),
        ("matchLabels", Ty::Labels),
    ],
};

static LABEL_SELECTOR_REQUIREMENT: Struct = Struct {
    go: "LabelSelectorRequirement",
    fields: &[
        ("key", STRING),
        ("operator", Ty::Str("v1.LabelSelectorOperator")),
        ("values", STRINGS),
    ],
};

static DEPLOYMENT: Struct = Struct {
    go: "Deployment",
    fields: &[
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&DEPLOYMENT_SPEC)),
        ("status", Ty::Open("v1.DeploymentStatus")),
    ],
};

static DEPLOYMENT_SPEC: Struct = Struct {
    go: "DeploymentSpec",
    fields: &[
        ("minReadySeconds", INT32),
        ("paused", Ty::Bool),
        ("progressDeadlineSeconds", INT32),
        ("replicas", INT32),
        ("revisionHistoryLimit", INT32),
        ("selector", Ty::Struct(&LABEL_SELECTOR)),
        ("strategy", Ty::Struct(&DEPLOYMENT_STRATEGY)),
        ("template", Ty::Struct(&POD_TEMPLATE_SPEC)),
    ],
};

static DEPLOYMENT_STRATEGY: Struct = Struct {
    go: "DeploymentStrategy",
    fields: &[
        ("rollingUpdate", Ty::Struct(&ROLLING_UPDATE_DEPLOYMENT)),
        ("type", Ty::Str("v1.DeploymentStrategyType")),
    ],
};

static ROLLING_UPDATE_DEPLOYMENT: Struct = Struct {
    go: "RollingUpdateDeployment",
    fields: &[
        ("maxSurge", Ty::IntOrString),
        ("maxUnavailable", Ty::IntOrString),
    ],
};

static POD_TEMPLATE_SPEC: Struct = Struct {
    go: "PodTemplateSpec",
    fields: &[
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&POD_SPEC)),
    ],
};

static POD: Struct = Struct {
    go: "Pod",
    fields: &[
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&POD_SPEC)),
        ("status", Ty::Open("v1.PodStatus")),
    ],
};

static CONTAINER_LIST: Ty = Ty::List("[]v1.Container", &Ty::Struct(&CONTAINER));

static POD_SPEC: Struct = Struct {
    go: "PodSpec",
    fields: &[
        ("activeDeadlineSeconds", INT64),
        ("affinity", Ty::Open("v1.Affinity")),
        ("automountServiceAccountToken", Ty::Bool),
        ("containers", CONTAINER_LIST),
        ("dnsConfig", Ty::Struct(&POD_DNS_CONFIG)),
        ("dnsPolicy", Ty::Str("v1.DNSPolicy")),
        ("enableServiceLinks", Ty::Bool),
        (
            "ephemeralContainers",
            Ty::List(
                "[]v1.EphemeralContainer",
                &Ty::Open("v1.EphemeralContainer"),
            ),
        ),
        (
            "hostAliases",
            Ty::List("[]v1.HostAlias", &Ty::Struct(&HOST_ALIAS)),
        ),
        ("hostIPC", Ty::Bool),
        ("hostNetwork", Ty::Bool),
        ("hostPID", Ty::Bool),
        ("hostUsers", Ty::Bool),
        ("hostname", STRING),
        ("hostnameOverride", STRING),
        (
            "imagePullSecrets",
            Ty::List(
                "[]v1.LocalObjectReference",
                &Ty::Struct(&LOCAL_OBJECT_REFERENCE),
            ),
        ),
        ("initContainers", CONTAINER_LIST),
        ("nodeName", STRING),
        ("nodeSelector", Ty::Labels),
        ("os", Ty::Struct(&POD_OS)),
        ("overhead", Ty::Resources),
        ("preemptionPolicy", Ty::Str("v1.PreemptionPolicy")),
        ("priority", INT32),
        ("priorityClassName", STRING),
        (
            "readinessGates",
            Ty::List("[]v1.PodReadinessGate", &Ty::Struct(&POD_READINESS_GATE)),
        ),
        (
            "resourceClaims",
            Ty::List("[]v1.PodResourceClaim", &Ty::Open("v1.PodResourceClaim")),
        ),
        ("resources", Ty::Struct(&RESOURCE_REQUIREMENTS)),
        ("restartPolicy", Ty::Str("v1.RestartPolicy")),
        ("runtimeClassName", STRING),
        ("schedulerName", STRING),
        (
            "schedulingGates",
            Ty::List("[]v1.PodSchedulingGate", &Ty::Struct(&NAME_ONLY_GATE)),
        ),
        ("securityContext", Ty::Open("v1.PodSecurityContext")),
        ("serviceAccount", STRING),
        ("serviceAccountName", STRING),
        ("setHostnameAsFQDN", Ty::Bool),
        ("shareProcessNamespace", Ty::Bool),
        ("subdomain", STRING),
        ("terminationGracePeriodSeconds", INT64),
        (
            "tolerations",
            Ty::List("[]v1.Toleration", &Ty::Struct(&TOLERATION)),
        ),
        (
            "topologySpreadConstraints",
            Ty::List(
                "[]v1.TopologySpreadConstraint",
                &Ty::Open("v1.TopologySpreadConstraint"),
            ),
        ),
        ("volumes", Ty::List("[]v1.Volume", &Ty::Struct(&VOLUME))),
        ("workloadRef", Ty::Any),
    ],
};

static POD_DNS_CONFIG: Struct = Struct {
    go: "PodDNSConfig",
    fields: &[
        ("nameservers", STRINGS),
        (
            "options",
            Ty::List(
                "[]v1.PodDNSConfigOption",
                &Ty::Struct(&POD_DNS_CONFIG_OPTION),
            ),
        ),
        ("searches", STRINGS),
    ],
};

static POD_DNS_CONFIG_OPTION: Struct = Struct {
    go: "PodDNSConfigOption",
    fields: &[("name", STRING), ("value", STRING)],
};

static HOST_ALIAS: Struct = Struct {
    go: "HostAlias",
    fields: &[("hostnames", STRINGS), ("ip", STRING)],
};

static LOCAL_OBJECT_REFERENCE: Struct = Struct {
    go: "LocalObjectReference",
    fields: &[("name", STRING)],
};

static POD_OS: Struct = Struct {
    go: "PodOS",
    fields: &[("name", Ty::Str("v1.OSName"))],
};

static POD_READINESS_GATE: Struct = Struct {
    go: "PodReadinessGate",
    fields: &[("conditionType", Ty::Str("v1.PodConditionType"))],
};

static NAME_ONLY_GATE: Struct = Struct {
    go: "PodSchedulingGate",
    fields: &[("name", STRING)],
};

static TOLERATION: Struct = Struct {
    go: "Toleration",
    fields: &[
        ("effect", Ty::Str("v1.TaintEffect")),
        ("key", STRING),
        ("operator", Ty::Str("v1.TolerationOperator")),
        ("tolerationSeconds", INT64),
        ("value", STRING),
    ],
};

static VOLUME: Struct = Struct {
    go: "Volume",
    fields: &[
        (
            "awsElasticBlockStore",
            Ty::Open("v1.AWSElasticBlockStoreVolumeSource"),
        ),
        ("azureDisk", Ty::Open("v1.AzureDiskVolumeSource")),
        ("azureFile", Ty::Open("v1.AzureFileVolumeSource")),
        ("cephfs", Ty::Open("v1.CephFSVolumeSource")),
        ("cinder", Ty::Open("v1.CinderVolumeSource")),
        ("configMap", Ty::Open("v1.ConfigMapVolumeSource")),
        ("csi", Ty::Open("v1.CSIVolumeSource")),
        ("downwardAPI", Ty::Open("v1.DownwardAPIVolumeSource")),
        ("emptyDir", Ty::Open("v1.EmptyDirVolumeSource")),
        ("ephemeral", Ty::Open("v1.EphemeralVolumeSource")),
        ("fc", Ty::Open("v1.FCVolumeSource")),
        ("flexVolume", Ty::Open("v1.FlexVolumeSource")),
        ("flocker", Ty::Open("v1.FlockerVolumeSource")),
        (
            "gcePersistentDisk",
            Ty::Open("v1.GCEPersistentDiskVolumeSource"),
        ),
        ("gitRepo", Ty::Open("v1.GitRepoVolumeSource")),
        ("glusterfs", Ty::Open("v1.GlusterfsVolumeSource")),
        ("hostPath", Ty::Open("v1.HostPathVolumeSource")),
        ("image", Ty::Open("v1.ImageVolumeSource")),
        ("iscsi", Ty::Open("v1.ISCSIVolumeSource")),
        ("name", STRING),
        ("nfs", Ty::Open("v1.NFSVolumeSource")),
        (
            "persistentVolumeClaim",
            Ty::Open("v1.PersistentVolumeClaimVolumeSource"),
        ),
        (
            "photonPersistentDisk",
            Ty::Open("v1.PhotonPersistentDiskVolumeSource"),
        ),
        ("portworxVolume", Ty::Open("v1.PortworxVolumeSource")),
        ("projected", Ty::Open("v1.ProjectedVolumeSource")),
        ("quobyte", Ty::Open("v1.QuobyteVolumeSource")),
        ("rbd", Ty::Open("v1.RBDVolumeSource")),
        ("scaleIO", Ty::Open("v1.ScaleIOVolumeSource")),
        ("secret", Ty::Open("v1.SecretVolumeSource")),
        ("storageos", Ty::Open("v1.StorageOSVolumeSource")),
        (
            "vsphereVolume",
            Ty::Open("v1.VsphereVirtualDiskVolumeSource"),
        ),
    ],
};

static PROBE: Ty = Ty::Struct(&PROBE_STRUCT);

static CONTAINER: Struct = Struct {
    go: "Container",
    fields: &[
        ("args", STRINGS),
        ("command", STRINGS),
        ("env", Ty::List("[]v1.EnvVar", &Ty::Struct(&ENV_VAR))),
        (
            "envFrom",
            Ty::List("[]v1.EnvFromSource", &Ty::Struct(&ENV_FROM_SOURCE)),
        ),
        ("image", STRING),
        ("imagePullPolicy", Ty::Str("v1.PullPolicy")),
        ("lifecycle", Ty::Struct(&LIFECYCLE)),
        ("livenessProbe", PROBE),
        ("name", STRING),
        (
            "ports",
            Ty::List("[]v1.ContainerPort", &Ty::Struct(&CONTAINER_PORT)),
        ),
        ("readinessProbe", PROBE),
        (
            "resizePolicy",
            Ty::List(
                "[]v1.ContainerResizePolicy",
                &Ty::Struct(&CONTAINER_RESIZE_POLICY),
            ),
        ),
        ("resources", Ty::Struct(&RESOURCE_REQUIREMENTS)),
        ("restartPolicy", Ty::Str("v1.ContainerRestartPolicy")),
        ("restartPolicyRules", Ty::Any),
        ("securityContext", Ty::Struct(&SECURITY_CONTEXT)),
        ("startupProbe", PROBE),
        ("stdin", Ty::Bool),
        ("stdinOnce", Ty::Bool),
        ("terminationMessagePath", STRING),
        (
            "terminationMessagePolicy",
            Ty::Str("v1.TerminationMessagePolicy"),
        ),
        ("tty", Ty::Bool),
        (
            "volumeDevices",
            Ty::List("[]v1.VolumeDevice", &Ty::Struct(&VOLUME_DEVICE)),
        ),
        (
            "volumeMounts",
            Ty::List("[]v1.VolumeMount", &Ty::Struct(&VOLUME_MOUNT)),
        ),
        ("workingDir", STRING),
    ],
};

static CONTAINER_PORT: Struct = Struct {
    go: "ContainerPort",
    fields: &[
        ("containerPort", INT32),
        ("hostIP", STRING),
        ("hostPort", INT32),
        ("name", STRING),
        ("protocol", Ty::Str("v1.Protocol")),
    ],
};

static ENV_VAR: Struct = Struct {
    go: "EnvVar",
    fields: &[
        ("name", STRING),
        ("value", STRING),
        ("valueFrom", Ty::Open("v1.EnvVarSource")),
    ],
};

static ENV_FROM_SOURCE: Struct = Struct {
    go: "EnvFromSource",
    fields: &[
        ("configMapRef", Ty::Open("v1.ConfigMapEnvSource")),
        ("prefix", STRING),
        ("secretRef", Ty::Open("v1.SecretEnvSource")),
    ],
};

static CONTAINER_RESIZE_POLICY: Struct = Struct {
    go: "ContainerResizePolicy",
    fields: &[
        ("resourceName", Ty::Str("v1.ResourceName")),
        ("restartPolicy", Ty::Str("v1.ResourceResizeRestartPolicy")),
    ],
};

static VOLUME_DEVICE: Struct = Struct {
    go: "VolumeDevice",
    fields: &[("devicePath", STRING), ("name", STRING)],
};

static VOLUME_MOUNT: Struct = Struct {
    go: "VolumeMount",
    fields: &[
        ("mountPath", STRING),
        ("mountPropagation", Ty::Str("v1.MountPropagationMode")),
        ("name", STRING),
        ("readOnly", Ty::Bool),
        ("recursiveReadOnly", Ty::Str("v1.RecursiveReadOnlyMode")),
        ("subPath", STRING),
        ("subPathExpr", STRING),
    ],
};

static RESOURCE_REQUIREMENTS: Struct = Struct {
    go: "ResourceRequirements",
    fields: &[
        (
            "claims",
            Ty::List("[]v1.ResourceClaim", &Ty::Struct(&RESOURCE_CLAIM)),
        ),
        ("limits", Ty::Resources),
        ("requests", Ty::Resources),
    ],
};

static RESOURCE_CLAIM: Struct = Struct {
    go: "ResourceClaim",
    fields: &[("name", STRING), ("request", STRING)],
};

static PROBE_STRUCT: Struct = Struct {
    go: "Probe",
    fields: &[
        ("exec", Ty::Struct(&EXEC_ACTION)),
        ("failureThreshold", INT32),
        ("grpc", Ty::Struct(&GRPC_ACTION)),
        ("httpGet", Ty::Struct(&HTTP_GET_ACTION)),
        ("initialDelaySeconds", INT32),
        ("periodSeconds", INT32),
        ("successThreshold", INT32),
        ("tcpSocket", Ty::Struct(&TCP_SOCKET_ACTION)),
        ("terminationGracePeriodSeconds", INT64),
        ("timeoutSeconds", INT32),
    ],
};

static EXEC_ACTION: Struct = Struct {
    go: "ExecAction",
    fields: &[("command", STRINGS)],
};

static HTTP_GET_ACTION: Struct = Struct {
    go: "HTTPGetAction",
    fields: &[
        ("host", STRING),
        (
            "httpHeaders",
            Ty::List("[]v1.HTTPHeader", &Ty::Struct(&HTTP_HEADER)),
        ),
        ("path", STRING),
        ("port", Ty::IntOrString),
        ("scheme", Ty::Str("v1.URIScheme")),
    ],
};

static HTTP_HEADER: Struct = Struct {
    go: "HTTPHeader",
    fields: &[("name", STRING), ("value", STRING)],
};

static TCP_SOCKET_ACTION: Struct = Struct {
    go: "TCPSocketAction",
    fields: &[("host", STRING), ("port", Ty::IntOrString)],
};

static GRPC_ACTION: Struct = Struct {
    go: "GRPCAction",
    fields: &[("port", INT32), ("service", STRING)],
};

static LIFECYCLE: Struct = Struct {
    go: "Lifecycle",
    fields: &[
        ("postStart", Ty::Struct(&LIFECYCLE_HANDLER)),
        ("preStop", Ty::Struct(&LIFECYCLE_HANDLER)),
        ("stopSignal", Ty::Str("v1.Signal")),
    ],
};

static LIFECYCLE_HANDLER: Struct = Struct {
    go: "LifecycleHandler",
    fields: &[
        ("exec", Ty::Struct(&EXEC_ACTION)),
        ("httpGet", Ty::Struct(&HTTP_GET_ACTION)),
        ("sleep", Ty::Struct(&SLEEP_ACTION)),
        ("tcpSocket", Ty::Struct(&TCP_SOCKET_ACTION)),
    ],
};

static SLEEP_ACTION: Struct = Struct {
    go: "SleepAction",
    fields: &[("seconds", INT64)],
};

static SECURITY_CONTEXT: Struct = Struct {
    go: "SecurityContext",
    fields: &[
        ("allowPrivilegeEscalation", Ty::Bool),
        ("appArmorProfile", Ty::Open("v1.AppArmorProfile")),
        ("capabilities", Ty::Struct(&CAPABILITIES)),
        ("privileged", Ty::Bool),
        ("procMount", Ty::Str("v1.ProcMountType")),
        ("readOnlyRootFilesystem", Ty::Bool),
        ("runAsGroup", INT64),
        ("runAsNonRoot", Ty::Bool),
        ("runAsUser", INT64),
        ("seLinuxOptions", Ty::Open("v1.SELinuxOptions")),
        ("seccompProfile", Ty::Open("v1.SeccompProfile")),
        (
            "windowsOptions",
            Ty::Open("v1.WindowsSecurityContextOptions"),
        ),
    ],
};

static CAPABILITY_LIST: Ty = Ty::List("[]v1.Capability", &Ty::Str("v1.Capability"));

static CAPABILITIES: Struct = Struct {
    go: "Capabilities",
    fields: &[("add", CAPABILITY_LIST), ("drop", CAPABILITY_LIST)],
};

static SERVICE: Struct = Struct {
    go: "Service",
    fields: &[
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&SERVICE_SPEC)),
        ("status", Ty::Open("v1.ServiceStatus")),
    ],
};

static SERVICE_SPEC: Struct = Struct {
    go: "ServiceSpec",
    fields: &[
        ("allocateLoadBalancerNodePorts", Ty::Bool),
        ("clusterIP", STRING),
        ("clusterIPs", STRINGS),
        ("externalIPs", STRINGS),
        ("externalName", STRING),
        (
            "externalTrafficPolicy",
            Ty::Str("v1.ServiceExternalTrafficPolicy"),
        ),
        ("healthCheckNodePort", INT32),
        (
            "internalTrafficPolicy",
            Ty::Str("v1.ServiceInternalTrafficPolicy"),
        ),
        (
            "ipFamilies",
            Ty::List("[]v1.IPFamily", &Ty::Str("v1.IPFamily")),
        ),
        ("ipFamilyPolicy", Ty::Str("v1.IPFamilyPolicy")),
        ("loadBalancerClass", STRING),
        ("loadBalancerIP", STRING),
        ("loadBalancerSourceRanges", STRINGS),
        (
            "ports",
            Ty::List("[]v1.ServicePort", &Ty::Struct(&SERVICE_PORT)),
        ),
        ("publishNotReadyAddresses", Ty::Bool),
        ("selector", Ty::Labels),
        ("sessionAffinity", Ty::Str("v1.ServiceAffinity")),
        (
            "sessionAffinityConfig",
            Ty::Open("v1.SessionAffinityConfig"),
        ),
        ("trafficDistribution", STRING),
        ("type", Ty::Str("v1.ServiceType")),
    ],
};

static SERVICE_PORT: Struct = Struct {
    go: "ServicePort",
    fields: &[
        ("appProtocol", STRING),
        ("name", STRING),
        ("nodePort", INT32),
        ("port", INT32),
        ("protocol", Ty::Str("v1.Protocol")),
        ("targetPort", Ty::IntOrString),
    ],
};

static NAMESPACE: Struct = Struct {
    go: "Namespace",
    fields: &[
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&NAMESPACE_SPEC)),
        ("status", Ty::Open("v1.NamespaceStatus")),
    ],
};

static NAMESPACE_SPEC: Struct = Struct {
    go: "NamespaceSpec",
    fields: &[(
        "finalizers",
        Ty::List("[]v1.FinalizerName", &Ty::Str("v1.FinalizerName")),
    )],
};

static RESOURCE_QUOTA: Struct = Struct {
    go: "ResourceQuota",
    fields: &[
        ("metadata", Ty::Struct(&OBJECT_META)),
        ("spec", Ty::Struct(&RESOURCE_QUOTA_SPEC)),
        ("status", Ty::Open("v1.ResourceQuotaStatus")),
    ],
};

static RESOURCE_QUOTA_SPEC: Struct = Struct {
    go: "ResourceQuotaSpec",
    fields: &[
        ("hard", Ty::Resources),
        ("scopeSelector", Ty::Open("v1.ScopeSelector")),
        (
            "scopes",
            Ty::List("[]v1.ResourceQuotaScope", &Ty::Str("v1.ResourceQuotaScope")),
        ),
    ],
};

fn root_of(kind: &str) -> Option<&'static Struct> {
    match kind {
        "Deployment" => Some(&DEPLOYMENT),
        "Namespace" => Some(&NAMESPACE),
        "Service" => Some(&SERVICE),
        "ResourceQuota" => Some(&RESOURCE_QUOTA),
        "Pod" => Some(&POD),
        _ => None,
    }
}

/// A known field of `s`; `apiVersion` and `kind` (TypeMeta) are inline in every root kind.
fn field_of(s: &'static Struct, name: &str, root: bool) -> Option<Ty> {
    let extra: &[(&str, Ty)] = if root { &TYPE_META } else { &[] };
    s.fields
        .iter()
        .chain(extra)
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
}

/// Where the decoder is: the JSON path (with `[i]`, as strict errors print it) and the Go
/// error context (the last struct entered and the field names, without indices or map keys).
#[derive(Clone)]
struct Ctx {
    json_path: String,
    go_struct: &'static str,
    go_field: String,
}

impl Ctx {
    fn field(&self, s: &'static Struct, name: &str) -> Ctx {
        let join = |base: &str| {
            if base.is_empty() {
                name.to_string()
            } else {
                format!("{base}.{name}")
            }
        };
        Ctx {
            json_path: join(&self.json_path),
            go_struct: s.go,
            go_field: join(&self.go_field),
        }
    }

    fn item(&self, i: usize) -> Ctx {
        Ctx {
            json_path: format!("{}[{i}]", self.json_path),
            ..self.clone()
        }
    }

    /// encoding/json's `UnmarshalTypeError` text.
    fn type_error(&self, value: &str, go_type: &str) -> String {
        if self.go_struct.is_empty() && self.go_field.is_empty() {
            format!("json: cannot unmarshal {value} into Go value of type {go_type}")
        } else {
            format!(
                "json: cannot unmarshal {value} into Go struct field {}.{} of type {go_type}",
                self.go_struct, self.go_field
            )
        }
    }
}

/// The result of one decode pass.
#[derive(Default)]
struct Decode {
    unknown: Vec<String>,
    /// The first type error the decoder saves and reports at the end.
    saved: Option<String>,
    /// An error a custom unmarshaller returned; decoding stops there and it wins.
    returned: Option<String>,
    /// Where `saved` and `returned` were found (`spec.template.spec.containers[0].image`).
    saved_at: Option<String>,
    returned_at: Option<String>,
}

impl Decode {
    fn save(&mut self, e: String) {
        self.saved.get_or_insert(e);
    }

    fn run(kind: &str, v: &Value) -> Decode {
        let mut d = Decode::default();
        if let Some(root) = root_of(kind) {
            let ctx = Ctx {
                json_path: String::new(),
                go_struct: "",
                go_field: String::new(),
            };
            d.object(root, v, &ctx, true, 0);
        }
        d
    }

    fn check(&mut self, ty: Ty, v: &Value, ctx: &Ctx, depth: usize) {
        if self.returned.is_some() || depth > MAX_DEPTH {
            return;
        }
        let v = untag(v);
        if v.is_null() {
            return;
        }
        self.check_value(ty, v, ctx, depth);
        // The innermost check that failed has already named the place.
        if self.saved.is_some() && self.saved_at.is_none() {
            self.saved_at = Some(ctx.json_path.clone());
        }
        if self.returned.is_some() && self.returned_at.is_none() {
            self.returned_at = Some(ctx.json_path.clone());
        }
    }

    fn check_value(&mut self, ty: Ty, v: &Value, ctx: &Ctx, depth: usize) {
        match ty {
            Ty::Any => {}
            Ty::Struct(s) => self.object(s, v, ctx, false, depth),
            Ty::Open(go) => {
                self.expect_object(v, ctx, go);
            }
            Ty::Str(go) => {
                if !v.is_string() {
                    self.save(ctx.type_error(kind_name(v), go));
                }
            }
            Ty::Bool => {
                if !v.is_bool() {
                    self.save(ctx.type_error(kind_name(v), "bool"));
                }
            }
            Ty::Int(go, min, max) => {
                if let Some(value) = int_mismatch(v, min, max) {
                    self.save(ctx.type_error(&value, go));
                }
            }
            Ty::IntOrString => {
                if !v.is_string() {
                    if let Some(value) = int_mismatch(v, i32::MIN as i64, i32::MAX as i64) {
                        self.returned = Some(ctx.type_error(&value, "int32"));
                    }
                }
            }
            Ty::Time => {
                if !v.is_string() {
                    self.returned = Some(ctx.type_error(kind_name(v), "string"));
                }
            }
            Ty::Quantity => {
                if let Some(e) = quantity_value_error(v) {
                    self.returned = Some(e.to_string());
                }
            }
            Ty::Labels => self.map_of(v, ctx, "map[string]string", Ty::Str("string"), depth),
            Ty::Resources => self.map_of(v, ctx, "v1.ResourceList", Ty::Quantity, depth),
            Ty::List(go, elem) => match v {
                Value::Sequence(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.check(*elem, item, &ctx.item(i), depth + 1);
                    }
                }
                other => self.save(ctx.type_error(kind_name(other), go)),
            },
        }
    }

    fn expect_object(&mut self, v: &Value, ctx: &Ctx, go: &str) -> bool {
        if v.is_mapping() {
            return true;
        }
        self.save(ctx.type_error(kind_name(v), go));
        false
    }

    fn map_of(&mut self, v: &Value, ctx: &Ctx, go: &str, elem: Ty, depth: usize) {
        if let Value::Mapping(m) = v {
            for (_, value) in sorted(m) {
                self.check(elem, value, ctx, depth + 1);
            }
        } else {
            self.save(ctx.type_error(kind_name(v), go));
        }
    }

    fn object(&mut self, s: &'static Struct, v: &Value, ctx: &Ctx, root: bool, depth: usize) {
        let go = format!("v1.{}", s.go);
        if !self.expect_object(v, ctx, &go) {
            return;
        }
        let Value::Mapping(m) = v else { return };
        for (key, value) in sorted(m) {
            if self.returned.is_some() {
                return;
            }
            match field_of(s, &key, root) {
                Some(ty) => self.check(ty, value, &ctx.field(s, &key), depth + 1),
                None => self.unknown_field(ctx, &key),
            }
        }
    }

    fn unknown_field(&mut self, ctx: &Ctx, key: &str) {
        let path = if ctx.json_path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", ctx.json_path)
        };
        if self.unknown.len() < MAX_STRICT_ERRORS && !self.unknown.contains(&path) {
            self.unknown.push(path);
        }
    }
}

/// Object entries in the order kubectl's JSON has them (keys sorted by bytes).
fn sorted(m: &serde_yaml::Mapping) -> BTreeMap<String, &Value> {
    m.iter().map(|(k, v)| (key_string(k), v)).collect()
}

fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => &t.value,
        other => other,
    }
}

/// The JSON kind name encoding/json uses in type errors.
pub(crate) fn kind_name(v: &Value) -> &'static str {
    match untag(v) {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Sequence(_) => "array",
        Value::Mapping(_) | Value::Tagged(_) => "object",
    }
}

/// `None` when `v` decodes into an integer in `min..=max`; otherwise the value text the
/// decoder reports (`string`, `number 1.5`, `number 3000000000`).
fn int_mismatch(v: &Value, min: i64, max: i64) -> Option<String> {
    let Value::Number(n) = v else {
        return Some(kind_name(v).to_string());
    };
    if let Some(i) = n.as_i64() {
        return (i < min || i > max).then(|| format!("number {i}"));
    }
    if let Some(u) = n.as_u64() {
        return Some(format!("number {u}"));
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    // kubectl's JSON writes an integral float without a fraction, so 3.0 decodes as 3.
    let fits = f.is_finite() && f.fract() == 0.0 && f >= min as f64 && f <= max as f64;
    (!fits).then(|| format!("number {}", go_format_float(f, b'j')))
}

const QUANTITY_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIX: &str = "unable to parse quantity's suffix";
const QUANTITY_NUMERIC: &str = "unable to parse numeric part of quantity";

fn quantity_value_error(v: &Value) -> Option<&'static str> {
    match untag(v) {
        Value::String(s) => quantity_error(s.trim()),
        Value::Number(n) => quantity_error(&crate::api::json::to_json_compact(&Value::Number(
            n.clone(),
        ))),
        Value::Null => None,
        _ => Some(QUANTITY_FORMAT),
    }
}

/// `resource.ParseQuantity`'s error for `s`, if it has one.
pub fn quantity_error(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        return Some(QUANTITY_FORMAT);
    }
    if s == "0" {
        return None;
    }
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b[0], b'+' | b'-'));
    let number_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let number = s.get(number_start..i).unwrap_or("");
    let suffix_start = i;
    while b.get(i).is_some_and(|c| b"eEinumkKMGTP".contains(c)) {
        i += 1;
    }
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i < b.len() {
        return Some(QUANTITY_FORMAT);
    }
    if !valid_suffix(s.get(suffix_start..).unwrap_or("")) {
        return Some(QUANTITY_SUFFIX);
    }
    if !number.bytes().any(|c| c.is_ascii_digit()) {
        return Some(QUANTITY_NUMERIC);
    }
    None
}

fn valid_suffix(suffix: &str) -> bool {
    const NAMED: &[&str] = &[
        "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
    ];
    if NAMED.contains(&suffix) {
        return true;
    }
    match suffix.strip_prefix(['e', 'E']) {
        Some(exp) if !exp.is_empty() => exp.parse::<i64>().is_ok(),
        _ => false,
    }
}

/// Every field the API server's strict decoding would reject, as full paths
/// (`spec.template.spec.containers[0].imagee`), in the order it reports them.
pub fn unknown_fields(kind: &str, v: &Value) -> Vec<String> {
    Decode::run(kind, v).unknown
}

/// The decoder's type error for the first value whose JSON type does not fit the Go type.
pub fn type_error(kind: &str, v: &Value) -> Option<String> {
    let d = Decode::run(kind, v);
    d.returned.or(d.saved)
}

/// The cause text kubectl shows after `cannot be handled as a <Kind>: `: the type error if
/// there is one (it aborts decoding), else `strict decoding error: unknown field "…", …`.
pub fn strict_error(kind: &str, v: &Value) -> Option<String> {
    strict_error_at(kind, v).map(|(text, _)| text)
}

/// `strict_error` and the path of the field it is about (the first one), for markers.
pub fn strict_error_at(kind: &str, v: &Value) -> Option<(String, String)> {
    let d = Decode::run(kind, v);
    if let Some(e) = d.returned {
        return Some((e, d.returned_at.unwrap_or_default()));
    }
    if let Some(e) = d.saved {
        return Some((e, d.saved_at.unwrap_or_default()));
    }
    let first = d.unknown.first()?.clone();
    let items: Vec<String> = d
        .unknown
        .iter()
        .map(|p| format!("unknown field {}", go_quote(p)))
        .collect();
    Some((
        format!("strict decoding error: {}", items.join(", ")),
        first,
    ))
}

/// Go's `%q` for the field paths in strict errors.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap_or(Value::Null)
    }

    const FULL: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels: {app: web}
  annotations: {note: x}
  generation: 2
  uid: "1234"
  resourceVersion: "7"
  creationTimestamp: "2026-01-05T09:00:00Z"
  finalizers: [x]
  ownerReferences: [{apiVersion: v1, kind: X, name: y, uid: z, controller: true, blockOwnerDeletion: true}]
  managedFields: [{manager: kubectl, operation: Apply, fieldsType: FieldsV1, fieldsV1: {f:spec: {}}}]
spec:
  replicas: 3
  minReadySeconds: 5
  revisionHistoryLimit: 10
  progressDeadlineSeconds: 600
  paused: false
  selector:
    matchLabels: {app: web}
    matchExpressions: [{key: tier, operator: In, values: [a, b]}]
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
  template:
    metadata:
      labels: {app: web}
    spec:
      affinity: {nodeAffinity: {anything: [goes]}}
      securityContext: {runAsUser: 1000, whatever: true}
      tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 30}]
      volumes:
      - name: data
        emptyDir: {medium: Memory}
      - name: cfg
        configMap: {name: cfg, items: [{key: a, path: b}]}
      initContainers: [{name: init, image: busybox}]
      nodeSelector: {disk: ssd}
      dnsConfig: {options: [{name: ndots, value: "2"}]}
      topologySpreadConstraints: [{maxSkew: 1}]
      containers:
      - name: web
        image: nginx:1.27
        imagePullPolicy: IfNotPresent
        command: [nginx]
        args: [-g, daemon off;]
        ports: [{containerPort: 80, name: http, protocol: TCP}]
        env:
        - {name: A, value: "1"}
        - name: B
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        envFrom: [{configMapRef: {name: cfg}, prefix: P_}]
        resources:
          limits: {cpu: 500m, memory: 128Mi}
          requests: {cpu: 0.25, memory: 64Mi}
        volumeMounts: [{name: data, mountPath: /data, readOnly: true}]
        readinessProbe:
          httpGet: {path: /, port: 80, httpHeaders: [{name: X, value: y}]}
          periodSeconds: 10
        livenessProbe: {tcpSocket: {port: http}, initialDelaySeconds: 3}
        startupProbe: {exec: {command: ["true"]}, failureThreshold: 30}
        lifecycle: {preStop: {sleep: {seconds: 5}}}
        securityContext: {capabilities: {drop: [ALL]}, runAsNonRoot: true}
        terminationMessagePolicy: File
status:
  replicas: 3
  anythingAtAll: yes
"#;

    #[test]
    fn real_fields_are_accepted() {
        let doc = v(FULL);
        assert_eq!(unknown_fields("Deployment", &doc), Vec::<String>::new());
        assert_eq!(type_error("Deployment", &doc), None);
        assert_eq!(strict_error("Deployment", &doc), None);
    }

    #[test]
    fn unknown_fields_are_reported_with_full_paths() {
        let doc = v("apiVersion: apps/v1\nkind: Deployment\nspec:\n  replica: 2\n  template:\n    spec:\n      containers:\n      - name: a\n        imagePullPolice: Always\n");
        assert_eq!(
            unknown_fields("Deployment", &doc),
            [
                "spec.replica",
                "spec.template.spec.containers[0].imagePullPolice"
            ]
        );
        // kubectl-formats.md "apply errors": several unknown fields share one message.
        assert_eq!(
            strict_error("Deployment", &doc).as_deref(),
            Some(
                r#"strict decoding error: unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagePullPolice""#
            )
        );
    }

    #[test]
    fn unknown_fields_follow_sorted_json_order() {
        let doc = v("spec:\n  zeta: 1\n  alpha: 2\nmetadata:\n  nam: web\n");
        assert_eq!(
            unknown_fields("Deployment", &doc),
            ["metadata.nam", "spec.alpha", "spec.zeta"]
        );
    }

    #[test]
    fn field_names_are_case_sensitive() {
        assert_eq!(
            unknown_fields("Deployment", &v("spec:\n  Replicas: 2\n")),
            ["spec.Replicas"]
        );
    }

    #[test]
    fn status_and_open_types_accept_anything_inside() {
        let doc = v("status: {whatever: [1]}\nspec:\n  template:\n    spec:\n      affinity: {x: 1}\n      volumes: [{name: a, hostPath: {bogus: 1}}]\n");
        assert!(unknown_fields("Deployment", &doc).is_empty());
        assert_eq!(
            unknown_fields(
                "Deployment",
                &v("spec:\n  template:\n    spec:\n      volumes: [{name: a, hostpath: {}}]\n")
            ),
            ["spec.template.spec.volumes[0].hostpath"]
        );
    }

    #[test]
    fn other_kinds_are_not_checked() {
        assert!(unknown_fields("ConfigMap", &v("data: {a: b}\nbogus: 1\n")).is_empty());
        assert_eq!(strict_error("ConfigMap", &v("bogus: 1")), None);
    }

    #[test]
    fn service_namespace_and_quota_fields() {
        let svc = v("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http, protocl: TCP}]\n  type: ClusterIP\n");
        assert_eq!(unknown_fields("Service", &svc), ["spec.ports[0].protocl"]);
        let ns = v("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\nspec: {finalizers: [kubernetes]}\n");
        assert!(unknown_fields("Namespace", &ns).is_empty());
        let quota = v("apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {pods: 10}, hrad: {}}\n");
        assert_eq!(unknown_fields("ResourceQuota", &quota), ["spec.hrad"]);
    }

    #[test]
    fn string_for_integer_is_a_type_error() {
        let doc = v("spec:\n  replicas: three\n");
        assert_eq!(
            type_error("Deployment", &doc).as_deref(),
            Some("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")
        );
        assert_eq!(
            strict_error("Deployment", &doc),
            type_error("Deployment", &doc)
        );
    }

    #[test]
    fn type_error_paths_omit_list_indices() {
        let doc = v("spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        env:\n        - name: N\n          value: 5\n");
        assert_eq!(
            type_error("Deployment", &doc).as_deref(),
            Some("json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string")
        );
    }

    #[test]
    fn label_values_must_be_strings() {
        assert_eq!(
            type_error("Deployment", &v("metadata:\n  labels:\n    version: 2\n")).as_deref(),
            Some("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string")
        );
        assert_eq!(
            type_error("Deployment", &v("metadata:\n  labels: [app]\n")).as_deref(),
            Some("json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string")
        );
    }

    #[test]
    fn object_and_list_mismatches_name_the_go_type() {
        assert_eq!(
            type_error("Deployment", &v("spec:\n  template:\n    spec:\n      containers: {name: a}\n")).as_deref(),
            Some("json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container")
        );
        assert_eq!(
            type_error("Deployment", &v("spec:\n  strategy: Recreate\n")).as_deref(),
            Some("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.strategy of type v1.DeploymentStrategy")
        );
        assert_eq!(
            type_error("Deployment", &v("spec:\n  paused: \"yes\"\n")).as_deref(),
            Some("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool")
        );
        assert_eq!(
            type_error("Deployment", &v("spec:\n  strategy:\n    type: 1\n")).as_deref(),
            Some("json: cannot unmarshal number into Go struct field DeploymentStrategy.spec.strategy.type of type v1.DeploymentStrategyType")
        );
    }

    #[test]
    fn integers_must_fit_and_be_whole() {
        assert_eq!(
            type_error("Deployment", &v("spec:\n  replicas: 1.5\n")).as_deref(),
            Some("json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32")
        );
        assert_eq!(
            type_error("Deployment", &v("spec:\n  replicas: 3000000000\n")).as_deref(),
            Some("json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32")
        );
        assert_eq!(
            type_error("Deployment", &v("spec:\n  replicas: 3.0\n")),
            None
        );
        assert_eq!(
            type_error("Service", &v("spec:\n  ports:\n  - port: \"80\"\n")).as_deref(),
            Some("json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32")
        );
    }

    #[test]
    fn int_or_string_fields_accept_both() {
        let doc = v("spec:\n  strategy:\n    rollingUpdate: {maxSurge: 1, maxUnavailable: 25%}\n  template:\n    spec:\n      containers:\n      - readinessProbe: {httpGet: {port: http}}\n");
        assert_eq!(type_error("Deployment", &doc), None);
        assert_eq!(
            type_error("Deployment", &v("spec:\n  strategy:\n    rollingUpdate: {maxSurge: 1.5}\n")).as_deref(),
            Some("json: cannot unmarshal number 1.5 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32")
        );
        assert_eq!(
            type_error(
                "Service",
                &v("spec:\n  ports: [{port: 80, targetPort: 8080}]\n")
            ),
            None
        );
    }

    #[test]
    fn null_is_accepted_anywhere() {
        let doc = v("metadata: {labels: null, name: null}\nspec:\n  replicas: null\n  selector: null\n  template: {spec: {containers: null}}\n");
        assert_eq!(type_error("Deployment", &doc), None);
    }

    #[test]
    fn bad_quantities_fail_decoding() {
        let doc = v("spec:\n  template:\n    spec:\n      containers:\n      - resources: {limits: {cpu: lots}}\n");
        assert_eq!(
            type_error("Deployment", &doc).as_deref(),
            Some("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        );
        assert_eq!(quantity_error("500m"), None);
        assert_eq!(quantity_error("1.5Gi"), None);
        assert_eq!(quantity_error("1e3"), None);
        assert_eq!(quantity_error("128Mb"), Some(QUANTITY_FORMAT));
        assert_eq!(quantity_error("1k8"), Some(QUANTITY_SUFFIX));
        assert_eq!(quantity_error("+"), Some(QUANTITY_NUMERIC));
    }

    #[test]
    fn a_type_error_wins_over_unknown_fields() {
        let doc = v("spec:\n  replica: 1\n  replicas: x\n");
        assert_eq!(
            strict_error("Deployment", &doc).as_deref(),
            Some("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")
        );
    }

    #[test]
    fn timestamps_must_be_strings() {
        assert_eq!(
            type_error("Deployment", &v("metadata:\n  creationTimestamp: 5\n")).as_deref(),
            Some("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string")
        );
    }
}
