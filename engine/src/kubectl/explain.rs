//! `kubectl explain`: field documentation of the simulated kinds, rendered the way kubectl
//! v1.27+ renders the server's OpenAPI v3 schema with its `plaintext` template
//! (kubectl-formats.md §6).
//!
//! The texts are the Kubernetes API's own field descriptions (k8s.io/api). Short field lists
//! carry the full descriptions; the long ones (PodSpec, Container, ServiceSpec, ObjectMeta …)
//! keep every field with its type and the first sentence of its description, except enum
//! fields, which carry the full text with its `Possible enum values:` list.

use super::args::{self, flag, Flag};
use super::resources::Kind;
use crate::command::Output;

const FLAGS: &[Flag] = &[
    flag("recursive", None, false),
    flag("api-version", None, true),
    flag("output", None, true),
];

/// A field of an OpenAPI schema. `ty` is what kubectl prints between `<>`, except that `Time`
/// and `MicroTime` print as `string` (see [`display`]); a `ty` that names a [`Schema`], also
/// behind `[]` or `map[string]`, is followed into for field paths and descriptions.
struct Field {
    name: &'static str,
    ty: &'static str,
    required: bool,
    desc: &'static str,
    /// The values of an enum-typed string in the schema's (sorted) order, comma-separated
    /// (empty: none). `FIELD:` prints them all under `ENUM:`; a field list's `enum:` line
    /// stops after four.
    enum_values: &'static str,
}

struct Schema {
    name: &'static str,
    desc: &'static str,
    /// Sorted by name, as kubectl lists them.
    fields: &'static [Field],
}

const fn f(name: &'static str, ty: &'static str, desc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        desc,
        enum_values: "",
    }
}

const fn req(name: &'static str, ty: &'static str, desc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: true,
        desc,
        enum_values: "",
    }
}

/// An enum-typed string: `desc` ends with the schema's `Possible enum values:` list.
const fn enumerated(name: &'static str, enum_values: &'static str, desc: &'static str) -> Field {
    Field {
        name,
        ty: "string",
        required: false,
        desc,
        enum_values,
    }
}

/// A required [`enumerated`] string.
const fn req_enumerated(
    name: &'static str,
    enum_values: &'static str,
    desc: &'static str,
) -> Field {
    Field {
        required: true,
        ..enumerated(name, enum_values, desc)
    }
}

const API_VERSION: Field = f(
    "apiVersion",
    "string",
    "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
);
const KIND: Field = f(
    "kind",
    "string",
    "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
);
const METADATA: Field = f(
    "metadata",
    "ObjectMeta",
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
);
const MIN_READY: &str = "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)";

static SCHEMAS: &[Schema] = &[
    Schema {
        name: "Deployment",
        desc: "Deployment enables declarative updates for Pods and ReplicaSets.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            f("spec", "DeploymentSpec", "Specification of the desired behavior of the Deployment."),
            f("status", "DeploymentStatus", "Most recently observed status of the Deployment."),
        ],
    },
    Schema {
        name: "DeploymentSpec",
        desc: "DeploymentSpec is the specification of the desired behavior of the Deployment.",
        fields: &[
            f("minReadySeconds", "integer", MIN_READY),
            f("paused", "boolean", "Indicates that the deployment is paused."),
            f("progressDeadlineSeconds", "integer", "The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Note that progress will not be estimated during the time a deployment is paused. Defaults to 600s."),
            f("replicas", "integer", "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1."),
            f("revisionHistoryLimit", "integer", "The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10."),
            req("selector", "LabelSelector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels."),
            f("strategy", "DeploymentStrategy", "The deployment strategy to use to replace existing pods with new ones."),
            req("template", "PodTemplateSpec", "Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is \"Always\"."),
        ],
    },
    Schema {
        name: "DeploymentStrategy",
        desc: "DeploymentStrategy describes how to replace existing pods with new ones.",
        fields: &[
            f("rollingUpdate", "RollingUpdateDeployment", "Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate."),
            enumerated("type", "Recreate, RollingUpdate", "Type of deployment. Can be \"Recreate\" or \"RollingUpdate\". Default is RollingUpdate.\n\nPossible enum values:\n - `\"Recreate\"` Kill all existing pods before creating new ones.\n - `\"RollingUpdate\"` Replace the old ReplicaSets by new one using rolling update i.e gradually scale down the old ReplicaSets and scale up the new one."),
        ],
    },
    Schema {
        name: "RollingUpdateDeployment",
        desc: "Spec to control the desired behavior of rolling update.",
        fields: &[
            f("maxSurge", "IntOrString", "The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is calculated from percentage by rounding up. Defaults to 25%. Example: when this is set to 30%, the new ReplicaSet can be scaled up immediately when the rolling update starts, such that the total number of old and new pods do not exceed 130% of desired pods. Once old pods have been killed, new ReplicaSet can be scaled up further, ensuring that total number of pods running at any time during the update is at most 130% of desired pods."),
            f("maxUnavailable", "IntOrString", "The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Absolute number is calculated from percentage by rounding down. This can not be 0 if MaxSurge is 0. Defaults to 25%. Example: when this is set to 30%, the old ReplicaSet can be scaled down to 70% of desired pods immediately when the rolling update starts. Once new pods are ready, old ReplicaSet can be scaled down further, followed by scaling up the new ReplicaSet, ensuring that the total number of pods available at all times during the update is at least 70% of desired pods."),
        ],
    },
    Schema {
        name: "DeploymentStatus",
        desc: "DeploymentStatus is the most recently observed status of the Deployment.",
        fields: &[
            f("availableReplicas", "integer", "Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment."),
            f("collisionCount", "integer", "Count of hash collisions for the Deployment. The Deployment controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ReplicaSet."),
            f("conditions", "[]DeploymentCondition", "Represents the latest available observations of a deployment's current state."),
            f("observedGeneration", "integer", "The generation observed by the deployment controller."),
            f("readyReplicas", "integer", "Total number of non-terminating pods targeted by this Deployment with a Ready Condition."),
            f("replicas", "integer", "Total number of non-terminating pods targeted by this deployment (their labels match the selector)."),
            f("terminatingReplicas", "integer", "Total number of terminating pods targeted by this deployment. Terminating pods have a non-null .metadata.deletionTimestamp and have not yet reached the Failed or Succeeded .status.phase.\n\nThis is an alpha field. Enable DeploymentReplicaSetTerminatingReplicas to be able to use this field."),
            f("unavailableReplicas", "integer", "Total number of unavailable pods targeted by this deployment. This is the total number of pods that are still required for the deployment to have 100% available capacity. They may either be pods that are running but not yet available or pods that still have not been created."),
            f("updatedReplicas", "integer", "Total number of non-terminating pods targeted by this deployment that have the desired template spec."),
        ],
    },
    Schema {
        name: "DeploymentCondition",
        desc: "DeploymentCondition describes the state of a deployment at a certain point.",
        fields: &[
            f("lastTransitionTime", "Time", "Last time the condition transitioned from one status to another."),
            f("lastUpdateTime", "Time", "The last time this condition was updated."),
            f("message", "string", "A human readable message indicating details about the transition."),
            f("reason", "string", "The reason for the condition's last transition."),
            req("status", "string", "Status of the condition, one of True, False, Unknown."),
            req("type", "string", "Type of deployment condition."),
        ],
    },
    Schema {
        name: "ReplicaSet",
        desc: "ReplicaSet ensures that a specified number of pod replicas are running at any given time.",
        fields: &[
            API_VERSION,
            KIND,
            f("metadata", "ObjectMeta", "If the Labels of a ReplicaSet are empty, they are defaulted to be the same as the Pod(s) that the ReplicaSet manages. Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"),
            f("spec", "ReplicaSetSpec", "Spec defines the specification of the desired behavior of the ReplicaSet. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
            f("status", "ReplicaSetStatus", "Status is the most recently observed status of the ReplicaSet. This data may be out of date by some window of time. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
        ],
    },
    Schema {
        name: "ReplicaSetSpec",
        desc: "ReplicaSetSpec is the specification of a ReplicaSet.",
        fields: &[
            f("minReadySeconds", "integer", MIN_READY),
            f("replicas", "integer", "Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset"),
            req("selector", "LabelSelector", "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
            f("template", "PodTemplateSpec", "Template is the object that describes the pod that will be created if insufficient replicas are detected. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#pod-template"),
        ],
    },
    Schema {
        name: "ReplicaSetStatus",
        desc: "ReplicaSetStatus represents the current status of a ReplicaSet.",
        fields: &[
            f("availableReplicas", "integer", "The number of available non-terminating pods (ready for at least minReadySeconds) for this replica set."),
            f("conditions", "[]ReplicaSetCondition", "Represents the latest available observations of a replica set's current state."),
            f("fullyLabeledReplicas", "integer", "The number of non-terminating pods that have labels matching the labels of the pod template of the replicaset."),
            f("observedGeneration", "integer", "ObservedGeneration reflects the generation of the most recently observed ReplicaSet."),
            f("readyReplicas", "integer", "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition."),
            req("replicas", "integer", "Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset"),
            f("terminatingReplicas", "integer", "The number of terminating pods for this replica set. Terminating pods have a non-null .metadata.deletionTimestamp and have not yet reached the Failed or Succeeded .status.phase.\n\nThis is an alpha field. Enable DeploymentReplicaSetTerminatingReplicas to be able to use this field."),
        ],
    },
    Schema {
        name: "ReplicaSetCondition",
        desc: "ReplicaSetCondition describes the state of a replica set at a certain point.",
        fields: &[
            f("lastTransitionTime", "Time", "The last time the condition transitioned from one status to another."),
            f("message", "string", "A human readable message indicating details about the transition."),
            f("reason", "string", "The reason for the condition's last transition."),
            req("status", "string", "Status of the condition, one of True, False, Unknown."),
            req("type", "string", "Type of replica set condition."),
        ],
    },
    Schema {
        name: "LabelSelector",
        desc: "A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.",
        fields: &[
            f("matchExpressions", "[]LabelSelectorRequirement", "matchExpressions is a list of label selector requirements. The requirements are ANDed."),
            f("matchLabels", "map[string]string", "matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is \"key\", the operator is \"In\", and the values array contains only \"value\". The requirements are ANDed."),
        ],
    },
    Schema {
        name: "LabelSelectorRequirement",
        desc: "A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.",
        fields: &[
            req("key", "string", "key is the label key that the selector applies to."),
            req("operator", "string", "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist."),
            f("values", "[]string", "values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. This array is replaced during a strategic merge patch."),
        ],
    },
    Schema {
        name: "ObjectMeta",
        desc: "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
        fields: &[
            f("annotations", "map[string]string", "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata."),
            f("creationTimestamp", "Time", "CreationTimestamp is a timestamp representing the server time when this object was created."),
            f("deletionGracePeriodSeconds", "integer", "Number of seconds allowed for this object to gracefully terminate before it will be removed from the system."),
            f("deletionTimestamp", "Time", "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted."),
            f("finalizers", "[]string", "Must be empty before the object is deleted from the registry."),
            f("generateName", "string", "GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
            f("generation", "integer", "A sequence number representing a specific generation of the desired state."),
            f("labels", "map[string]string", "Map of string keys and values that can be used to organize and categorize (scope and select) objects."),
            f("managedFields", "[]ManagedFieldsEntry", "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow."),
            f("name", "string", "Name must be unique within a namespace."),
            f("namespace", "string", "Namespace defines the space within which each name must be unique."),
            f("ownerReferences", "[]OwnerReference", "List of objects depended by this object."),
            f("resourceVersion", "string", "An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed."),
            f("selfLink", "string", "Deprecated: selfLink is a legacy read-only field that is no longer populated by the system."),
            f("uid", "string", "UID is the unique in time and space value for this object."),
        ],
    },
    Schema {
        name: "PodTemplateSpec",
        desc: "PodTemplateSpec describes the data a pod should have when created from a template",
        fields: &[
            METADATA,
            f("spec", "PodSpec", "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
        ],
    },
    Schema {
        name: "Pod",
        desc: "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            f("spec", "PodSpec", "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
            f("status", "PodStatus", "Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
        ],
    },
    Schema {
        name: "PodSpec",
        desc: "PodSpec is a description of a pod.",
        fields: &[
            f("activeDeadlineSeconds", "integer", "Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers. Value must be a positive integer."),
            f("affinity", "Affinity", "If specified, the pod's scheduling constraints"),
            f("automountServiceAccountToken", "boolean", "AutomountServiceAccountToken indicates whether a service account token should be automatically mounted."),
            req("containers", "[]Container", "List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated."),
            f("dnsConfig", "PodDNSConfig", "Specifies the DNS parameters of a pod. Parameters specified here will be merged to the generated DNS configuration based on DNSPolicy."),
            enumerated("dnsPolicy", "ClusterFirst, ClusterFirstWithHostNet, Default, None", "Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'. DNS parameters given in DNSConfig will be merged with the policy selected with DNSPolicy. To have DNS options set along with hostNetwork, you have to specify DNS policy explicitly to 'ClusterFirstWithHostNet'.\n\nPossible enum values:\n - `\"ClusterFirst\"` indicates that the pod should use cluster DNS first unless hostNetwork is true, if it is available, then fall back on the default (as determined by kubelet) DNS settings.\n - `\"ClusterFirstWithHostNet\"` indicates that the pod should use cluster DNS first, if it is available, then fall back on the default (as determined by kubelet) DNS settings.\n - `\"Default\"` indicates that the pod should use the default (as determined by kubelet) DNS settings.\n - `\"None\"` indicates that the pod should use empty DNS settings. DNS parameters such as nameservers and search paths should be defined via DNSConfig."),
            f("enableServiceLinks", "boolean", "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables, matching the syntax of Docker links. Optional: Defaults to true."),
            f("ephemeralContainers", "[]EphemeralContainer", "List of ephemeral containers run in this pod."),
            f("hostAliases", "[]HostAlias", "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified. This is only valid for non-hostNetwork pods."),
            f("hostIPC", "boolean", "Use the host's ipc namespace. Optional: Default to false."),
            f("hostNetwork", "boolean", "Host networking requested for this pod. Use the host's network namespace. If this option is set, the ports that will be used must be specified. Default to false."),
            f("hostPID", "boolean", "Use the host's pid namespace. Optional: Default to false."),
            f("hostUsers", "boolean", "Use the host's user namespace."),
            f("hostname", "string", "Specifies the hostname of the Pod If not specified, the pod's hostname will be set to a system-defined value."),
            f("imagePullSecrets", "[]LocalObjectReference", "ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec."),
            f("initContainers", "[]Container", "List of initialization containers belonging to the pod."),
            f("nodeName", "string", "NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements."),
            f("nodeSelector", "map[string]string", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
            f("os", "PodOS", "Specifies the OS of the containers in the pod."),
            f("overhead", "map[string]Quantity", "Overhead represents the resource overhead associated with running a pod for a given RuntimeClass."),
            enumerated("preemptionPolicy", "Never, PreemptLowerPriority", "PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.\n\nPossible enum values:\n - `\"Never\"` means that pod never preempts other pods with lower priority.\n - `\"PreemptLowerPriority\"` means that pod can preempt other pods with lower priority."),
            f("priority", "integer", "The priority value."),
            f("priorityClassName", "string", "If specified, indicates the pod's priority."),
            f("readinessGates", "[]PodReadinessGate", "If specified, all readiness gates will be evaluated for pod readiness."),
            f("resourceClaims", "[]PodResourceClaim", "ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start."),
            enumerated("restartPolicy", "Always, Never, OnFailure", "Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy\n\nPossible enum values:\n - `\"Always\"`\n - `\"Never\"`\n - `\"OnFailure\"`"),
            f("runtimeClassName", "string", "RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod."),
            f("schedulerName", "string", "If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler."),
            f("schedulingGates", "[]PodSchedulingGate", "SchedulingGates is an opaque list of values that if specified will block scheduling the pod."),
            f("securityContext", "PodSecurityContext", "SecurityContext holds pod-level security attributes and common container settings. Optional: Defaults to empty.  See type description for default values of each field."),
            f("serviceAccount", "string", "DeprecatedServiceAccount is a depreciated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead."),
            f("serviceAccountName", "string", "ServiceAccountName is the name of the ServiceAccount to use to run this pod. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"),
            f("setHostnameAsFQDN", "boolean", "If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default)."),
            f("shareProcessNamespace", "boolean", "Share a single process namespace between all of the containers in a pod."),
            f("subdomain", "string", "If specified, the fully qualified Pod hostname will be \"<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>\". If not specified, the pod will not have a domainname at all."),
            f("terminationGracePeriodSeconds", "integer", "Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). If this value is nil, the default grace period will be used instead. The grace period is the duration in seconds after the processes running in the pod are sent a termination signal and the time when the processes are forcibly halted with a kill signal. Set this value longer than the expected cleanup time for your process. Defaults to 30 seconds."),
            f("tolerations", "[]Toleration", "If specified, the pod's tolerations."),
            f("topologySpreadConstraints", "[]TopologySpreadConstraint", "TopologySpreadConstraints describes how a group of pods ought to spread across topology domains. Scheduler will schedule pods in a way which abides by the constraints. All topologySpreadConstraints are ANDed."),
            f("volumes", "[]Volume", "List of volumes that can be mounted by containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/storage/volumes"),
        ],
    },
    Schema {
        name: "Container",
        desc: "A single application container that you want to run within a pod.",
        fields: &[
            f("args", "[]string", "Arguments to the entrypoint."),
            f("command", "[]string", "Entrypoint array."),
            f("env", "[]EnvVar", "List of environment variables to set in the container. Cannot be updated."),
            f("envFrom", "[]EnvFromSource", "List of sources to populate environment variables in the container."),
            f("image", "string", "Container image name. More info: https://kubernetes.io/docs/concepts/containers/images This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets."),
            enumerated("imagePullPolicy", "Always, IfNotPresent, Never", "Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images\n\nPossible enum values:\n - `\"Always\"` means that kubelet always attempts to pull the latest image. Container will fail If the pull fails.\n - `\"IfNotPresent\"` means that kubelet pulls if the image isn't present on disk. Container will fail if the image isn't present and the pull fails.\n - `\"Never\"` means that kubelet never pulls an image, but only uses a local image. Container will fail if the image isn't present"),
            f("lifecycle", "Lifecycle", "Actions that the management system should take in response to container lifecycle events. Cannot be updated."),
            f("livenessProbe", "Probe", "Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes"),
            req("name", "string", "Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated."),
            f("ports", "[]ContainerPort", "List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed. Any port which is listening on the default \"0.0.0.0\" address inside a container will be accessible from the network. Modifying this array with strategic merge patch may corrupt the data. For more information See https://github.com/kubernetes/kubernetes/issues/108255. Cannot be updated."),
            f("readinessProbe", "Probe", "Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes"),
            f("resizePolicy", "[]ContainerResizePolicy", "Resources resize policy for the container."),
            f("resources", "ResourceRequirements", "Compute Resources required by this container. Cannot be updated. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"),
            f("restartPolicy", "string", "RestartPolicy defines the restart behavior of individual containers in a pod."),
            f("securityContext", "SecurityContext", "SecurityContext defines the security options the container should be run with."),
            f("startupProbe", "Probe", "StartupProbe indicates that the Pod has successfully initialized."),
            f("stdin", "boolean", "Whether this container should allocate a buffer for stdin in the container runtime."),
            f("stdinOnce", "boolean", "Whether the container runtime should close the stdin channel after it has been opened by a single attach."),
            f("terminationMessagePath", "string", "Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem."),
            enumerated("terminationMessagePolicy", "FallbackToLogsOnError, File", "Indicate how the termination message should be populated. File will use the contents of terminationMessagePath to populate the container status message on both success and failure. FallbackToLogsOnError will use the last chunk of container log output if the termination message file is empty and the container exited with an error. The log output is limited to 2048 bytes or 80 lines, whichever is smaller. Defaults to File. Cannot be updated.\n\nPossible enum values:\n - `\"FallbackToLogsOnError\"` will read the most recent contents of the container logs for the container status message when the container exits with an error and the terminationMessagePath has no contents.\n - `\"File\"` is the default behavior and will set the container status message to the contents of the container's terminationMessagePath when the container exits."),
            f("tty", "boolean", "Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false."),
            f("volumeDevices", "[]VolumeDevice", "volumeDevices is the list of block devices to be used by the container."),
            f("volumeMounts", "[]VolumeMount", "Pod volumes to mount into the container's filesystem. Cannot be updated."),
            f("workingDir", "string", "Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image. Cannot be updated."),
        ],
    },
    Schema {
        name: "ContainerPort",
        desc: "ContainerPort represents a network port in a single container.",
        fields: &[
            req("containerPort", "integer", "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536."),
            f("hostIP", "string", "What host IP to bind the external port to."),
            f("hostPort", "integer", "Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536. If HostNetwork is specified, this must match ContainerPort. Most containers do not need this."),
            f("name", "string", "If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services."),
            enumerated("protocol", "SCTP, TCP, UDP", "Protocol for port. Must be UDP, TCP, or SCTP. Defaults to \"TCP\".\n\nPossible enum values:\n - `\"SCTP\"` is the SCTP protocol.\n - `\"TCP\"` is the TCP protocol.\n - `\"UDP\"` is the UDP protocol."),
        ],
    },
    Schema {
        name: "EnvVar",
        desc: "EnvVar represents an environment variable present in a Container.",
        fields: &[
            req("name", "string", "Name of the environment variable. Must be a C_IDENTIFIER."),
            f("value", "string", "Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. \"$$(VAR_NAME)\" will produce the string literal \"$(VAR_NAME)\". Escaped references will never be expanded, regardless of whether the variable exists or not. Defaults to \"\"."),
            f("valueFrom", "EnvVarSource", "Source for the environment variable's value. Cannot be used if value is not empty."),
        ],
    },
    Schema {
        name: "Probe",
        desc: "Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.",
        fields: &[
            f("exec", "ExecAction", "Exec specifies the action to take."),
            f("failureThreshold", "integer", "Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1."),
            f("grpc", "GRPCAction", "GRPC specifies an action involving a GRPC port."),
            f("httpGet", "HTTPGetAction", "HTTPGet specifies the http request to perform."),
            f("initialDelaySeconds", "integer", "Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes"),
            f("periodSeconds", "integer", "How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1."),
            f("successThreshold", "integer", "Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1."),
            f("tcpSocket", "TCPSocketAction", "TCPSocket specifies an action involving a TCP port."),
            f("terminationGracePeriodSeconds", "integer", "Optional duration in seconds the pod needs to terminate gracefully upon probe failure. The grace period is the duration in seconds after the processes running in the pod are sent a termination signal and the time when the processes are forcibly halted with a kill signal. Set this value longer than the expected cleanup time for your process. If this value is nil, the pod's terminationGracePeriodSeconds will be used. Otherwise, this value overrides the value provided by the pod spec. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). This is a beta field and requires enabling ProbeTerminationGracePeriod feature gate. Minimum value is 1. spec.terminationGracePeriodSeconds is used if unset."),
            f("timeoutSeconds", "integer", "Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes"),
        ],
    },
    Schema {
        name: "HTTPGetAction",
        desc: "HTTPGetAction describes an action based on HTTP Get requests.",
        fields: &[
            f("host", "string", "Host name to connect to, defaults to the pod IP. You probably want to set \"Host\" in httpHeaders instead."),
            f("httpHeaders", "[]HTTPHeader", "Custom headers to set in the request. HTTP allows repeated headers."),
            f("path", "string", "Path to access on the HTTP server."),
            req("port", "IntOrString", "Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME."),
            enumerated("scheme", "HTTP, HTTPS", "Scheme to use for connecting to the host. Defaults to HTTP.\n\nPossible enum values:\n - `\"HTTP\"` means that the scheme used will be http://\n - `\"HTTPS\"` means that the scheme used will be https://"),
        ],
    },
    Schema {
        name: "TCPSocketAction",
        desc: "TCPSocketAction describes an action based on opening a socket",
        fields: &[
            f("host", "string", "Optional: Host name to connect to, defaults to the pod IP."),
            req("port", "IntOrString", "Number or name of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME."),
        ],
    },
    Schema {
        name: "ExecAction",
        desc: "ExecAction describes a \"run in container\" action.",
        fields: &[f("command", "[]string", "Command is the command line to execute inside the container, the working directory for the command  is root ('/') in the container's filesystem. The command is simply exec'd, it is not run inside a shell, so traditional shell instructions ('|', etc) won't work. To use a shell, you need to explicitly call out to that shell. Exit status of 0 is treated as live/healthy and non-zero is unhealthy.")],
    },
    Schema {
        name: "GRPCAction",
        desc: "",
        fields: &[
            req("port", "integer", "Port number of the gRPC service. Number must be in the range 1 to 65535."),
            f("service", "string", "Service is the name of the service to place in the gRPC HealthCheckRequest (see https://github.com/grpc/grpc/blob/master/doc/health-checking.md).\n\nIf this is not specified, the default behavior is defined by gRPC."),
        ],
    },
    Schema {
        name: "ResourceRequirements",
        desc: "ResourceRequirements describes the compute resource requirements.",
        fields: &[
            f("claims", "[]ResourceClaim", "Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.\n\nThis is an alpha field and requires enabling the DynamicResourceAllocation feature gate.\n\nThis field is immutable. It can only be set for containers."),
            f("limits", "map[string]Quantity", "Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"),
            f("requests", "map[string]Quantity", "Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"),
        ],
    },
    Schema {
        name: "Toleration",
        desc: "The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.",
        fields: &[
            enumerated("effect", "NoExecute, NoSchedule, PreferNoSchedule", "Effect indicates the taint effect to match. Empty means match all taint effects. When specified, allowed values are NoSchedule, PreferNoSchedule and NoExecute.\n\nPossible enum values:\n - `\"NoExecute\"` Evict any already-running pods that do not tolerate the taint. Currently enforced by NodeController.\n - `\"NoSchedule\"` Do not allow new pods to schedule onto the node unless they tolerate the taint, but allow all pods submitted to Kubelet without going through the scheduler to start, and allow all already-running pods to continue running. Enforced by the scheduler.\n - `\"PreferNoSchedule\"` Like TaintEffectNoSchedule, but the scheduler tries not to schedule new pods onto the node, rather than prohibiting new pods from scheduling onto the node entirely. Enforced by the scheduler."),
            f("key", "string", "Key is the taint key that the toleration applies to. Empty means match all taint keys. If the key is empty, operator must be Exists; this combination means to match all values and all keys."),
            enumerated("operator", "Equal, Exists, Gt, Lt", "Operator represents a key's relationship to the value. Valid operators are Exists, Equal, Lt, and Gt. Defaults to Equal. Exists is equivalent to wildcard for value, so that a pod can tolerate all taints of a particular category. Lt and Gt perform numeric comparisons (requires feature gate TaintTolerationComparisonOperators).\n\nPossible enum values:\n - `\"Equal\"`\n - `\"Exists\"`\n - `\"Gt\"`\n - `\"Lt\"`"),
            f("tolerationSeconds", "integer", "TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute, otherwise this field is ignored) tolerates the taint. By default, it is not set, which means tolerate the taint forever (do not evict). Zero and negative values will be treated as 0 (evict immediately) by the system."),
            f("value", "string", "Value is the taint value the toleration matches to. If the operator is Exists, the value should be empty, otherwise just a regular string."),
        ],
    },
    Schema {
        name: "PodStatus",
        desc: "PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.",
        fields: &[
            f("conditions", "[]PodCondition", "Current service state of pod. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions"),
            f("containerStatuses", "[]ContainerStatus", "The list has one entry per container in the manifest. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-and-container-status"),
            f("ephemeralContainerStatuses", "[]ContainerStatus", "Status for any ephemeral containers that have run in this pod."),
            f("hostIP", "string", "hostIP holds the IP address of the host to which the pod is assigned."),
            f("hostIPs", "[]HostIP", "hostIPs holds the IP addresses allocated to the host."),
            f("initContainerStatuses", "[]ContainerStatus", "The list has one entry per init container in the manifest."),
            f("message", "string", "A human readable message indicating details about why the pod is in this condition."),
            f("nominatedNodeName", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods."),
            enumerated("phase", "Failed, Pending, Running, Succeeded, Unknown", "The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle. The conditions array, the reason and message fields, and the individual container status arrays contain more detail about the pod's status. There are five possible phase values:\n\nPending: The pod has been accepted by the Kubernetes system, but one or more of the container images has not been created. This includes time before being scheduled as well as time spent downloading images over the network, which could take a while. Running: The pod has been bound to a node, and all of the containers have been created. At least one container is still running, or is in the process of starting or restarting. Succeeded: All containers in the pod have terminated in success, and will not be restarted. Failed: All containers in the pod have terminated, and at least one container has terminated in failure. The container either exited with non-zero status or was terminated by the system. Unknown: For some reason the state of the pod could not be obtained, typically due to an error in communicating with the host of the pod.\n\nMore info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-phase\n\nPossible enum values:\n - `\"Failed\"` means that all containers in the pod have terminated, and at least one container has terminated in a failure (exited with a non-zero exit code or was stopped by the system).\n - `\"Pending\"` means the pod has been accepted by the system, but one or more of the containers has not been started. This includes time before being bound to a node, as well as time spent pulling images onto the host.\n - `\"Running\"` means the pod has been bound to a node and all of the containers have been started. At least one container is still running or is in the process of being restarted.\n - `\"Succeeded\"` means that all containers in the pod have voluntarily terminated with a container exit code of 0, and the system is not going to restart any of these containers.\n - `\"Unknown\"` means that for some reason the state of the pod could not be obtained, typically due to an error in communicating with the host of the pod. Deprecated: It isn't being set since 2015 (74da3b14b0c0f658b3bb8d2def5094686d0e9095)"),
            f("podIP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
            f("podIPs", "[]PodIP", "podIPs holds the IP addresses allocated to the pod."),
            enumerated("qosClass", "BestEffort, Burstable, Guaranteed", "The Quality of Service (QOS) classification assigned to the pod based on resource requirements See PodQOSClass type for available QOS classes More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/#quality-of-service-classes\n\nPossible enum values:\n - `\"BestEffort\"` is the BestEffort qos class.\n - `\"Burstable\"` is the Burstable qos class.\n - `\"Guaranteed\"` is the Guaranteed qos class."),
            f("reason", "string", "A brief CamelCase message indicating details about why the pod is in this state. e.g. 'Evicted'"),
            f("resize", "string", "Status of resources resize desired for pod's containers. It is empty if no resources resize is pending. Any changes to container resources will automatically set this to \"Proposed\""),
            f("resourceClaimStatuses", "[]PodResourceClaimStatus", "Status of resource claims."),
            f("startTime", "Time", "RFC 3339 date and time at which the object was acknowledged by the Kubelet. This is before the Kubelet pulled the container image(s) for the pod."),
        ],
    },
    Schema {
        name: "Service",
        desc: "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            f("spec", "ServiceSpec", "Spec defines the behavior of a service. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
            f("status", "ServiceStatus", "Most recently observed status of the service. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
        ],
    },
    Schema {
        name: "ServiceSpec",
        desc: "ServiceSpec describes the attributes that a user creates on a service.",
        fields: &[
            f("allocateLoadBalancerNodePorts", "boolean", "allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer."),
            f("clusterIP", "string", "clusterIP is the IP address of the service and is usually assigned randomly."),
            f("clusterIPs", "[]string", "ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly."),
            f("externalIPs", "[]string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            f("externalName", "string", "externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record)."),
            enumerated("externalTrafficPolicy", "Cluster, Local", "externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service's \"externally-facing\" addresses (NodePorts, ExternalIPs, and LoadBalancer IPs). If set to \"Local\", the proxy will configure the service in a way that assumes that external load balancers will take care of balancing the service traffic between nodes, and so each node will deliver traffic only to the node-local endpoints of the service, without masquerading the client source IP. (Traffic mistakenly sent to a node with no endpoints will be dropped.) The default value, \"Cluster\", uses the standard behavior of routing to all endpoints evenly (possibly modified by topology and other features). Note that traffic sent to an External IP or LoadBalancer IP from within the cluster will always get \"Cluster\" semantics, but clients sending to a NodePort from within the cluster may need to take traffic policy into account when picking a node.\n\nPossible enum values:\n - `\"Cluster\"` routes traffic to all endpoints.\n - `\"Local\"` preserves the source IP of the traffic by routing only to endpoints on the same node as the traffic was received on (dropping the traffic if there are no local endpoints)."),
            f("healthCheckNodePort", "integer", "healthCheckNodePort specifies the healthcheck nodePort for the service."),
            enumerated("internalTrafficPolicy", "Cluster, Local", "InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP. If set to \"Local\", the proxy will assume that pods only want to talk to endpoints of the service on the same node as the pod, dropping the traffic if there are no local endpoints. The default value, \"Cluster\", uses the standard behavior of routing to all endpoints evenly (possibly modified by topology and other features).\n\nPossible enum values:\n - `\"Cluster\"` routes traffic to all endpoints.\n - `\"Local\"` routes traffic only to endpoints on the same node as the client pod (dropping the traffic if there are no local endpoints)."),
            f("ipFamilies", "[]string", "IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service."),
            enumerated("ipFamilyPolicy", "PreferDualStack, RequireDualStack, SingleStack", "IPFamilyPolicy represents the dual-stack-ness requested or required by this Service. If there is no value provided, then this field will be set to SingleStack. Services can be \"SingleStack\" (a single IP family), \"PreferDualStack\" (two IP families on dual-stack configured clusters or a single IP family on single-stack clusters), or \"RequireDualStack\" (two IP families on dual-stack configured clusters, otherwise fail). The ipFamilies and clusterIPs fields depend on the value of this field. This field will be wiped when updating a service to type ExternalName.\n\nPossible enum values:\n - `\"PreferDualStack\"` indicates that this service prefers dual-stack when the cluster is configured for dual-stack. If the cluster is not configured for dual-stack the service will be assigned a single IPFamily. If the IPFamily is not set in service.spec.ipFamilies then the service will be assigned the default IPFamily configured on the cluster\n - `\"RequireDualStack\"` indicates that this service requires dual-stack. Using IPFamilyPolicyRequireDualStack on a single stack cluster will result in validation errors. The IPFamilies (and their order) assigned to this service is based on service.spec.ipFamilies. If service.spec.ipFamilies was not provided then it will be assigned according to how they are configured on the cluster. If service.spec.ipFamilies has only one entry then the alternative IPFamily will be added by apiserver\n - `\"SingleStack\"` indicates that this service is required to have a single IPFamily. The IPFamily assigned is based on the default IPFamily used by the cluster or as identified by service.spec.ipFamilies field"),
            f("loadBalancerClass", "string", "loadBalancerClass is the class of the load balancer implementation this Service belongs to."),
            f("loadBalancerIP", "string", "Only applies to Service Type: LoadBalancer."),
            f("loadBalancerSourceRanges", "[]string", "If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs."),
            f("ports", "[]ServicePort", "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
            f("publishNotReadyAddresses", "boolean", "publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready."),
            f("selector", "map[string]string", "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/"),
            enumerated("sessionAffinity", "ClientIP, None", "Supports \"ClientIP\" and \"None\". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies\n\nPossible enum values:\n - `\"ClientIP\"` is the Client IP based.\n - `\"None\"` - no session affinity."),
            f("sessionAffinityConfig", "SessionAffinityConfig", "sessionAffinityConfig contains the configurations of session affinity."),
            enumerated("type", "ClusterIP, ExternalName, LoadBalancer, NodePort", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types\n\nPossible enum values:\n - `\"ClusterIP\"` means a service will only be accessible inside the cluster, via the cluster IP.\n - `\"ExternalName\"` means a service consists of only a reference to an external name that kubedns or equivalent will return as a CNAME record, with no exposing or proxying of any pods involved.\n - `\"LoadBalancer\"` means a service will be exposed via an external load balancer (if the cloud provider supports it), in addition to 'NodePort' type.\n - `\"NodePort\"` means a service will be exposed on one port of every node, in addition to 'ClusterIP' type."),
        ],
    },
    Schema {
        name: "ServicePort",
        desc: "ServicePort contains information on service's port.",
        fields: &[
            f("appProtocol", "string", "The application protocol for this port."),
            f("name", "string", "The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names. When considering the endpoints for a Service, this must match the 'name' field in the EndpointPort. Optional if only one ServicePort is defined on this service."),
            f("nodePort", "integer", "The port on each node on which this service is exposed when type is NodePort or LoadBalancer."),
            req("port", "integer", "The port that will be exposed by this service."),
            enumerated("protocol", "SCTP, TCP, UDP", "The IP protocol for this port. Supports \"TCP\", \"UDP\", and \"SCTP\". Default is TCP.\n\nPossible enum values:\n - `\"SCTP\"` is the SCTP protocol.\n - `\"TCP\"` is the TCP protocol.\n - `\"UDP\"` is the UDP protocol."),
            f("targetPort", "IntOrString", "Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod's container ports. If this is not specified, the value of the 'port' field is used (an identity map). This field is ignored for services with clusterIP=None, and should be omitted or set equal to the 'port' field. More info: https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service"),
        ],
    },
    Schema {
        name: "ServiceStatus",
        desc: "ServiceStatus represents the current status of a service.",
        fields: &[
            f("conditions", "[]Condition", "Current service state"),
            f("loadBalancer", "LoadBalancerStatus", "LoadBalancer contains the current status of the load-balancer, if one is present."),
        ],
    },
    Schema {
        name: "Node",
        desc: "Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            f("spec", "NodeSpec", "Spec defines the behavior of a node. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
            f("status", "NodeStatus", "Most recently observed status of the node. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
        ],
    },
    Schema {
        name: "NodeSpec",
        desc: "NodeSpec describes the attributes that a node is created with.",
        fields: &[
            f("configSource", "NodeConfigSource", "Deprecated: Previously used to specify the source of the node's configuration for the DynamicKubeletConfig feature. This feature is removed."),
            f("externalID", "string", "Deprecated. Not all kubelets will set this field. Remove field after 1.13. see: https://issues.k8s.io/61966"),
            f("podCIDR", "string", "PodCIDR represents the pod IP range assigned to the node."),
            f("podCIDRs", "[]string", "podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node. If this field is specified, the 0th entry must match the podCIDR field. It may contain at most 1 value for each of IPv4 and IPv6."),
            f("providerID", "string", "ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>"),
            f("taints", "[]Taint", "If specified, the node's taints."),
            f("unschedulable", "boolean", "Unschedulable controls node schedulability of new pods. By default, node is schedulable. More info: https://kubernetes.io/docs/concepts/nodes/node/#manual-node-administration"),
        ],
    },
    Schema {
        name: "Taint",
        desc: "The node this Taint is attached to has the \"effect\" on any pod that does not tolerate the Taint.",
        fields: &[
            req_enumerated("effect", "NoExecute, NoSchedule, PreferNoSchedule", "Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute.\n\nPossible enum values:\n - `\"NoExecute\"` Evict any already-running pods that do not tolerate the taint. Currently enforced by NodeController.\n - `\"NoSchedule\"` Do not allow new pods to schedule onto the node unless they tolerate the taint, but allow all pods submitted to Kubelet without going through the scheduler to start, and allow all already-running pods to continue running. Enforced by the scheduler.\n - `\"PreferNoSchedule\"` Like TaintEffectNoSchedule, but the scheduler tries not to schedule new pods onto the node, rather than prohibiting new pods from scheduling onto the node entirely. Enforced by the scheduler."),
            req("key", "string", "Required. The taint key to be applied to a node."),
            f("timeAdded", "Time", "TimeAdded represents the time at which the taint was added. It is only written for NoExecute taints."),
            f("value", "string", "The taint value corresponding to the taint key."),
        ],
    },
    Schema {
        name: "NodeStatus",
        desc: "NodeStatus is information about the current status of a node.",
        fields: &[
            f("addresses", "[]NodeAddress", "List of addresses reachable to the node."),
            f("allocatable", "map[string]Quantity", "Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity."),
            f("capacity", "map[string]Quantity", "Capacity represents the total resources of a node. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
            f("conditions", "[]NodeCondition", "Conditions is an array of current observed node conditions. More info: https://kubernetes.io/docs/concepts/nodes/node/#condition"),
            f("config", "NodeConfigStatus", "Status of the config assigned to the node via the dynamic Kubelet config feature."),
            f("daemonEndpoints", "NodeDaemonEndpoints", "Endpoints of daemons running on the Node."),
            f("images", "[]ContainerImage", "List of container images on this node"),
            f("nodeInfo", "NodeSystemInfo", "Set of ids/uuids to uniquely identify the node. More info: https://kubernetes.io/docs/concepts/nodes/node/#info"),
            enumerated("phase", "Pending, Running, Terminated", "NodePhase is the recently observed lifecycle phase of the node. More info: https://kubernetes.io/docs/concepts/nodes/node/#phase The field is never populated, and now is deprecated.\n\nPossible enum values:\n - `\"Pending\"` means the node has been created/added by the system, but not configured.\n - `\"Running\"` means the node has been configured and has Kubernetes components running.\n - `\"Terminated\"` means the node has been removed from the cluster."),
            f("volumesAttached", "[]AttachedVolume", "List of volumes that are attached to the node."),
            f("volumesInUse", "[]string", "List of attachable volumes in use (mounted) by the node."),
        ],
    },
    Schema {
        name: "Namespace",
        desc: "Namespace provides a scope for Names. Use of multiple namespaces is optional.",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            f("spec", "NamespaceSpec", "Spec defines the behavior of the Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
            f("status", "NamespaceStatus", "Status describes the current status of a Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
        ],
    },
    Schema {
        name: "NamespaceSpec",
        desc: "NamespaceSpec describes the attributes on a Namespace.",
        fields: &[f("finalizers", "[]string", "Finalizers is an opaque list of values that must be empty to permanently remove object from storage. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/")],
    },
    Schema {
        name: "NamespaceStatus",
        desc: "NamespaceStatus is information about the current status of a Namespace.",
        fields: &[
            f("conditions", "[]NamespaceCondition", "Represents the latest available observations of a namespace's current state."),
            enumerated("phase", "Active, Terminating", "Phase is the current lifecycle phase of the namespace. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/\n\nPossible enum values:\n - `\"Active\"` means the namespace is available for use in the system\n - `\"Terminating\"` means the namespace is undergoing graceful termination"),
        ],
    },
    Schema {
        name: "Event",
        desc: "Event is a report of an event somewhere in the cluster.  Events have a limited retention time and triggers and messages may evolve with time.  Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason.  Events should be treated as informative, best-effort, supplemental data.",
        fields: &[
            f("action", "string", "What action was taken/failed regarding to the Regarding object."),
            API_VERSION,
            f("count", "integer", "The number of times this event has occurred."),
            f("eventTime", "MicroTime", "Time when this Event was first observed."),
            f("firstTimestamp", "Time", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
            req("involvedObject", "ObjectReference", "The object that this event is about."),
            KIND,
            f("lastTimestamp", "Time", "The time at which the most recent occurrence of this event was recorded."),
            f("message", "string", "A human-readable description of the status of this operation."),
            req("metadata", "ObjectMeta", "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"),
            f("reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            f("related", "ObjectReference", "Optional secondary object for more complex actions."),
            f("reportingComponent", "string", "Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`."),
            f("reportingInstance", "string", "ID of the controller instance, e.g. `kubelet-xyzf`."),
            f("series", "EventSeries", "Data about the Event series this event represents or nil if it's a singleton Event."),
            f("source", "EventSource", "The component reporting this event. Should be a short machine understandable string."),
            f("type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
        ],
    },
    Schema {
        name: "ResourceQuota",
        desc: "ResourceQuota sets aggregate quota restrictions enforced per namespace",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            f("spec", "ResourceQuotaSpec", "Spec defines the desired quota. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
            f("status", "ResourceQuotaStatus", "Status defines the actual enforced quota and its current usage. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status"),
        ],
    },
    Schema {
        name: "ResourceQuotaSpec",
        desc: "ResourceQuotaSpec defines the desired hard limits to enforce for Quota.",
        fields: &[
            f("hard", "map[string]Quantity", "hard is the set of desired hard limits for each named resource. More info: https://kubernetes.io/docs/concepts/policy/resource-quotas/"),
            f("scopeSelector", "ScopeSelector", "scopeSelector is also a collection of filters like scopes that must match each object tracked by a quota but expressed using ScopeSelectorOperator in combination with possible values. For a resource to match, both scopes AND scopeSelector (if specified in spec), must be matched."),
            f("scopes", "[]string", "A collection of filters that must match each object tracked by a quota. If not specified, the quota matches all objects."),
        ],
    },
    Schema {
        name: "ResourceQuotaStatus",
        desc: "ResourceQuotaStatus defines the enforced hard limits and observed use.",
        fields: &[
            f("hard", "map[string]Quantity", "Hard is the set of enforced hard limits for each named resource. More info: https://kubernetes.io/docs/concepts/policy/resource-quotas/"),
            f("used", "map[string]Quantity", "Used is the current observed total usage of the resource in the namespace."),
        ],
    },
    Schema {
        name: "Endpoints",
        desc: "Endpoints is a collection of endpoints that implement the actual service. Example:\n\n\t Name: \"mysvc\",\n\t Subsets: [\n\t   {\n\t     Addresses: [{\"ip\": \"10.10.1.1\"}, {\"ip\": \"10.10.2.2\"}],\n\t     Ports: [{\"name\": \"a\", \"port\": 8675}, {\"name\": \"b\", \"port\": 309}]\n\t   },\n\t   {\n\t     Addresses: [{\"ip\": \"10.10.3.3\"}],\n\t     Ports: [{\"name\": \"a\", \"port\": 93}, {\"name\": \"b\", \"port\": 76}]\n\t   },\n\t]",
        fields: &[
            API_VERSION,
            KIND,
            METADATA,
            f("subsets", "[]EndpointSubset", "The set of all endpoints is the union of all subsets."),
        ],
    },
    Schema {
        name: "EndpointSlice",
        desc: "EndpointSlice represents a subset of the endpoints that implement a service. For a given service there may be multiple EndpointSlice objects, selected by labels, which must be joined to produce the full set of endpoints.",
        fields: &[
            req_enumerated("addressType", "FQDN, IPv4, IPv6", "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice controller only generates, and kube-proxy only processes, slices of addressType \"IPv4\" and \"IPv6\". No semantics are defined for the \"FQDN\" type.\n\nPossible enum values:\n - `\"FQDN\"` represents a FQDN.\n - `\"IPv4\"` represents an IPv4 Address.\n - `\"IPv6\"` represents an IPv6 Address."),
            API_VERSION,
            req("endpoints", "[]Endpoint", "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."),
            KIND,
            f("metadata", "ObjectMeta", "Standard object's metadata."),
            f("ports", "[]EndpointPort", "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports."),
        ],
    },
    Schema {
        name: "IntOrString",
        desc: "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.",
        fields: &[],
    },
    Schema {
        name: "Time",
        desc: "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.",
        fields: &[],
    },
    Schema {
        name: "MicroTime",
        desc: "MicroTime is version of Time with microsecond level precision.",
        fields: &[],
    },
];

/// Runs `kubectl explain [--recursive] TYPE[.FIELD…]`.
pub fn run(rest: &[String]) -> Output {
    let a = match args::parse(rest, FLAGS) {
        Ok(a) => a,
        Err(e) => return super::flag_error("explain", &e),
    };
    if a.bool("help") {
        return super::help::run(&["explain".to_string()]);
    }
    match a.positional.len() {
        0 => {
            return Output::err(
                "error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n",
            )
        }
        1 => {}
        _ => return Output::err("error: We accept only this format: explain RESOURCE\n"),
    }
    if let Some(format) = a.get("output") {
        if format != "plaintext" && format != "plaintext-openapiv2" {
            return Output::err(format!("error: unrecognized format: {format}\n"));
        }
    }
    explain(&a.positional[0], a.bool("recursive"))
}

/// Renders `kubectl explain` for `TYPE[.FIELD…]`.
pub fn explain(arg: &str, recursive: bool) -> Output {
    // kubectl trims one trailing dot, then splits: the first part names the resource.
    let arg = arg.strip_suffix('.').unwrap_or(arg);
    let mut parts = arg.split('.');
    let resource = parts.next().unwrap_or("");
    let path: Vec<&str> = parts.collect();
    let Some((kind, root)) = Kind::resolve(resource).and_then(|k| root_schema(k).map(|s| (k, s)))
    else {
        return Output::err(format!(
            "the server doesn't have a resource type {resource:?}\n"
        ));
    };
    let mut out = header(kind);
    if path.is_empty() {
        out.push_str(&description(&[root.desc]));
        push_fields(&mut out, root, recursive);
        out.push('\n');
        return Output::ok(out);
    }
    let Some(field) = follow(root, &path) else {
        // The template names the last element of the path, whichever one was missing.
        let last = path.last().copied().unwrap_or("");
        return Output {
            stdout: out,
            stderr: format!("error: field {last:?} does not exist\n"),
            exit_code: 1,
            ..Output::default()
        };
    };
    out.push_str(&format!("FIELD: {} <{}>\n", field.name, display(field.ty)));
    // The field's own view lists every value, one a line.
    if !field.enum_values.is_empty() {
        out.push_str("ENUM:");
        for value in field.enum_values.split(", ") {
            out.push_str(&format!("\n    {value}"));
        }
    }
    out.push_str("\n\n");
    let schema = schema_of(field.ty);
    out.push_str(&description(&[field.desc, schema.map_or("", |s| s.desc)]));
    if let Some(s) = schema {
        push_fields(&mut out, s, recursive);
    }
    out.push('\n');
    Output::ok(out)
}

/// Field names one level below `TYPE[.FIELD…]` (for completion); empty when the path does
/// not lead to an object.
pub fn field_names(kind: Kind, path: &[&str]) -> Vec<&'static str> {
    let Some(root) = root_schema(kind) else {
        return Vec::new();
    };
    let schema = if path.is_empty() {
        Some(root)
    } else {
        follow(root, path).and_then(|f| schema_of(f.ty))
    };
    schema
        .map(|s| s.fields.iter().map(|f| f.name).collect())
        .unwrap_or_default()
}

fn root_schema(kind: Kind) -> Option<&'static Schema> {
    SCHEMAS.iter().find(|s| s.name == kind.name())
}

fn follow(root: &'static Schema, path: &[&str]) -> Option<&'static Field> {
    let mut schema = Some(root);
    let mut field = None;
    for seg in path {
        let f = schema?.fields.iter().find(|f| f.name == *seg)?;
        field = Some(f);
        schema = schema_of(f.ty);
    }
    field
}

/// The schema a type refers to: arrays and maps lead to their items.
fn schema_of(ty: &str) -> Option<&'static Schema> {
    let base = ty
        .trim_start_matches("[]")
        .trim_start_matches("map[string]");
    SCHEMAS.iter().find(|s| s.name == base)
}

/// kubectl prints a `$ref` to a string-typed schema (timestamps) as `string`.
fn display(ty: &str) -> &str {
    match ty {
        "Time" | "MicroTime" => "string",
        t => t,
    }
}

fn header(kind: Kind) -> String {
    let mut out = String::new();
    let (group, version) = match kind.api_version().split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", kind.api_version()),
    };
    if !group.is_empty() {
        out.push_str(&format!("GROUP:      {group}\n"));
    }
    out.push_str(&format!(
        "KIND:       {}\nVERSION:    {version}\n\n",
        kind.name()
    ));
    out
}

/// `DESCRIPTION:` with the field's and its type's descriptions, each ending in a newline, so
/// the block ends with a line of four spaces as kubectl's does.
fn description(parts: &[&str]) -> String {
    let mut text = String::new();
    for p in parts.iter().filter(|p| !p.is_empty()) {
        text.push_str(p);
        text.push('\n');
    }
    if text.is_empty() {
        text.push_str("<empty>");
    }
    format!("DESCRIPTION:\n{}\n", indent(&wrap(&text, 76), 4))
}

fn push_fields(out: &mut String, schema: &Schema, recursive: bool) {
    if schema.fields.is_empty() {
        return;
    }
    out.push_str("FIELDS:\n");
    let mut seen = vec![schema.name];
    field_list(out, schema, 1, recursive, &mut seen);
}

fn field_list(
    out: &mut String,
    schema: &Schema,
    level: usize,
    recursive: bool,
    seen: &mut Vec<&'static str>,
) {
    let pad = level * 2;
    for field in schema.fields {
        out.push_str(&" ".repeat(pad));
        out.push_str(field.name);
        out.push_str(&format!("\t<{}>", display(field.ty)));
        if field.required {
            out.push_str(" -required-");
        }
        out.push('\n');
        if !field.enum_values.is_empty() {
            out.push_str(&format!("{}enum: {}\n", " ".repeat(pad), enum_line(field)));
        }
        if !recursive {
            let desc = if field.desc.is_empty() {
                "<no description>"
            } else {
                field.desc
            };
            out.push_str(&indent(&wrap(desc, 78 - pad), pad + 2));
            out.push_str("\n\n");
            continue;
        }
        // A type already being listed on this path would recurse forever.
        if let Some(s) = schema_of(field.ty).filter(|s| !seen.contains(&s.name)) {
            seen.push(s.name);
            field_list(out, s, level + 1, true, seen);
            seen.pop();
        }
    }
}

/// The values on a field list's `enum:` line: kubectl's template stops after four with `, ....`.
fn enum_line(field: &Field) -> String {
    let values: Vec<&str> = field.enum_values.split(", ").collect();
    if values.len() <= 4 {
        return field.enum_values.to_string();
    }
    format!("{}, ....", values[..4].join(", "))
}

fn indent(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

/// `wordwrap.WrapString` (github.com/mitchellh/go-wordwrap), which kubectl's `wrap` uses:
/// breaks at spaces before a word would pass `lim` characters, keeps existing newlines, and
/// leaves words longer than the limit (URLs) whole.
fn wrap(s: &str, lim: usize) -> String {
    let mut buf = String::with_capacity(s.len() + s.len() / 32);
    let mut current = 0;
    let (mut word, mut word_len) = (String::new(), 0);
    let (mut space, mut space_len) = (String::new(), 0);
    for c in s.chars() {
        if c == '\n' {
            if word.is_empty() {
                if current + space_len <= lim {
                    buf.push_str(&space);
                }
            } else {
                buf.push_str(&space);
                buf.push_str(&word);
                word.clear();
                word_len = 0;
            }
            space.clear();
            space_len = 0;
            buf.push(c);
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                buf.push_str(&space);
                buf.push_str(&word);
                space.clear();
                space_len = 0;
                word.clear();
                word_len = 0;
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + space_len + word_len > lim && word_len < lim {
                buf.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= lim {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explain_line(arg: &str) -> Output {
        run(&arg.split_whitespace().map(String::from).collect::<Vec<_>>())
    }

    const STRATEGY: &str = "GROUP:      apps
KIND:       Deployment
VERSION:    v1

FIELD: strategy <DeploymentStrategy>


DESCRIPTION:
    The deployment strategy to use to replace existing pods with new ones.
    DeploymentStrategy describes how to replace existing pods with new ones.
    \nFIELDS:
  rollingUpdate\t<RollingUpdateDeployment>
    Rolling update config params. Present only if DeploymentStrategyType =
    RollingUpdate.

  type\t<string>
  enum: Recreate, RollingUpdate
    Type of deployment. Can be \"Recreate\" or \"RollingUpdate\". Default is
    RollingUpdate.
    \n    Possible enum values:
     - `\"Recreate\"` Kill all existing pods before creating new ones.
     - `\"RollingUpdate\"` Replace the old ReplicaSets by new one using rolling
    update i.e gradually scale down the old ReplicaSets and scale up the new
    one.


";

    #[test]
    fn strategy_matches_kubectl() {
        let out = explain_line("deployment.spec.strategy");
        assert_eq!(out.stdout, STRATEGY);
        assert_eq!((out.stderr.as_str(), out.exit_code), ("", 0));
        assert_eq!(explain_line("deploy.spec.strategy").stdout, STRATEGY);
        assert_eq!(explain_line("deployments.spec.strategy.").stdout, STRATEGY);
    }

    const DNS_POLICY: &str = "KIND:       Pod
VERSION:    v1

FIELD: dnsPolicy <string>
ENUM:
    ClusterFirst
    ClusterFirstWithHostNet
    Default
    None

DESCRIPTION:
    Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are
    'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'. DNS
    parameters given in DNSConfig will be merged with the policy selected with
    DNSPolicy. To have DNS options set along with hostNetwork, you have to
    specify DNS policy explicitly to 'ClusterFirstWithHostNet'.
    \n    Possible enum values:
     - `\"ClusterFirst\"` indicates that the pod should use cluster DNS first
    unless hostNetwork is true, if it is available, then fall back on the
    default (as determined by kubelet) DNS settings.
     - `\"ClusterFirstWithHostNet\"` indicates that the pod should use cluster DNS
    first, if it is available, then fall back on the default (as determined by
    kubelet) DNS settings.
     - `\"Default\"` indicates that the pod should use the default (as determined
    by kubelet) DNS settings.
     - `\"None\"` indicates that the pod should use empty DNS settings. DNS
    parameters such as nameservers and search paths should be defined via
    DNSConfig.
    \n
";

    /// The lines of Taint.effect's description, wrapped at 76 as both views print it.
    const TAINT_EFFECT: &str =
        "    Required. The effect of the taint on pods that do not tolerate the taint.
    Valid effects are NoSchedule, PreferNoSchedule and NoExecute.
    \n    Possible enum values:
     - `\"NoExecute\"` Evict any already-running pods that do not tolerate the
    taint. Currently enforced by NodeController.
     - `\"NoSchedule\"` Do not allow new pods to schedule onto the node unless
    they tolerate the taint, but allow all pods submitted to Kubelet without
    going through the scheduler to start, and allow all already-running pods to
    continue running. Enforced by the scheduler.
     - `\"PreferNoSchedule\"` Like TaintEffectNoSchedule, but the scheduler tries
    not to schedule new pods onto the node, rather than prohibiting new pods
    from scheduling onto the node entirely. Enforced by the scheduler.
";

    #[test]
    fn enum_fields_match_kubectl() {
        let out = explain_line("pods.spec.dnsPolicy");
        assert_eq!(out.stdout, DNS_POLICY);
        assert_eq!((out.stderr.as_str(), out.exit_code), ("", 0));

        // The field's own view lists every value, without -required-.
        assert_eq!(
            explain_line("node.spec.taints.effect").stdout,
            format!("KIND:       Node\nVERSION:    v1\n\nFIELD: effect <string>\nENUM:\n    NoExecute\n    NoSchedule\n    PreferNoSchedule\n\nDESCRIPTION:\n{TAINT_EFFECT}    \n\n")
        );
        // In a field list the enum line follows -required-.
        assert!(explain_line("node.spec.taints").stdout.contains(&format!(
            "FIELDS:\n  effect\t<string> -required-\n  enum: NoExecute, NoSchedule, PreferNoSchedule\n{TAINT_EFFECT}\n  key\t<string> -required-\n"
        )));

        // A field list's enum line stops after four values; the field's own view has them all.
        assert!(explain_line("pod.status").stdout.contains(
            "  phase\t<string>\n  enum: Failed, Pending, Running, Succeeded, ....\n    The phase of a Pod"
        ));
        assert!(explain_line("pod.status.phase").stdout.contains(
            "FIELD: phase <string>\nENUM:\n    Failed\n    Pending\n    Running\n    Succeeded\n    Unknown\n\nDESCRIPTION:\n    The phase of a Pod"
        ));
        // --recursive keeps the enum line, indented with its field.
        let svc = explain_line("svc.spec --recursive").stdout;
        assert!(svc.contains("    protocol\t<string>\n    enum: SCTP, TCP, UDP\n    targetPort\t"));
        assert!(svc.contains(
            "  type\t<string>\n  enum: ClusterIP, ExternalName, LoadBalancer, NodePort\n"
        ));
    }

    #[test]
    fn enum_values_are_sorted_like_the_schema() {
        for s in SCHEMAS {
            for f in s.fields.iter().filter(|f| !f.enum_values.is_empty()) {
                let values: Vec<&str> = f.enum_values.split(", ").collect();
                assert!(
                    values.windows(2).all(|w| w[0] < w[1]),
                    "{}.{}",
                    s.name,
                    f.name
                );
                for v in values {
                    assert!(
                        f.desc.contains(&format!("\n - `\"{v}\"`")),
                        "{}.{} lacks {v}",
                        s.name,
                        f.name
                    );
                }
                assert!(!f.desc.ends_with('\n'), "{}.{}", s.name, f.name);
            }
        }
    }

    #[test]
    fn resource_and_leaf_layouts_match_kubectl() {
        let root = explain_line("deployment").stdout;
        assert!(root.starts_with(
            "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nDESCRIPTION:\n    Deployment enables declarative updates for Pods and ReplicaSets.\n    \nFIELDS:\n  apiVersion\t<string>\n    APIVersion defines the versioned schema of this representation of an object.\n    Servers should convert recognized schemas to the latest internal value, and\n    may reject unrecognized values. More info:\n    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources\n\n"
        ));
        assert!(root.ends_with("  status\t<DeploymentStatus>\n    Most recently observed status of the Deployment.\n\n\n"));
        assert_eq!(
            explain_line("deployment.spec.replicas").stdout,
            "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\nDESCRIPTION:\n    Number of desired pods. This is a pointer to distinguish between explicit\n    zero and not specified. Defaults to 1.\n    \n\n"
        );
        let surge = explain_line("deployment.spec.strategy.rollingUpdate.maxSurge").stdout;
        assert!(surge.contains("FIELD: maxSurge <IntOrString>\n\n\nDESCRIPTION:\n    The maximum number of pods that can be scheduled above the desired number of\n    pods. Value can be an absolute number (ex: 5) or a percentage of desired\n    pods (ex: 10%)."));
        assert!(surge.ends_with("    time during the update is at most 130% of desired pods.\n    IntOrString is a type that can hold an int32 or a string.  When used in JSON\n    or YAML marshalling and unmarshalling, it produces or consumes the inner\n    type.  This allows you to have, for example, a JSON field that can accept a\n    name or number.\n    \n\n"));
    }

    #[test]
    fn core_kinds_have_no_group_line() {
        let out = explain_line("po.spec.containers.image");
        assert!(out
            .stdout
            .starts_with("KIND:       Pod\nVERSION:    v1\n\nFIELD: image <string>\n"));
        let ports = explain_line("svc.spec.ports").stdout;
        assert!(ports.contains("FIELD: ports <[]ServicePort>\n"));
        assert!(ports.contains("  port\t<integer> -required-\n"));
        assert!(ports.contains("  targetPort\t<IntOrString>\n"));
    }

    #[test]
    fn errors_match_kubectl() {
        let out = explain_line("deployment.spec.replica");
        assert_eq!(
            out.stdout,
            "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
        );
        assert_eq!(
            (out.stderr.as_str(), out.exit_code),
            ("error: field \"replica\" does not exist\n", 1)
        );
        assert_eq!(
            explain_line("deployment.foo.spec").stderr,
            "error: field \"spec\" does not exist\n"
        );
        assert_eq!(
            explain_line("deployment.spec.replicas.x").stderr,
            "error: field \"x\" does not exist\n"
        );
        let out = explain_line("foo.spec");
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str()),
            ("", "the server doesn't have a resource type \"foo\"\n")
        );
        assert!(explain_line("")
            .stderr
            .starts_with("error: You must specify the type of resource to explain."));
        assert_eq!(
            explain_line("pods nodes").stderr,
            "error: We accept only this format: explain RESOURCE\n"
        );
        assert_eq!(
            explain_line("pods --bogus").stderr,
            "error: unknown flag: --bogus\nSee 'kubectl explain --help' for usage.\n"
        );
    }

    #[test]
    fn recursive_lists_the_field_tree() {
        let out = explain_line("deployment.spec.strategy --recursive").stdout;
        assert!(out.ends_with(
            "FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>\n  enum: Recreate, RollingUpdate\n\n"
        ));
        let all = explain_line("deployment --recursive").stdout;
        assert!(all.contains(
            "        containers\t<[]Container> -required-\n          args\t<[]string>\n"
        ));
        assert!(all.contains("    creationTimestamp\t<string>\n"));
    }

    #[test]
    fn every_simulated_kind_is_documented_and_tables_are_sorted() {
        for kind in Kind::ALL {
            assert!(root_schema(kind).is_some(), "{kind:?}");
            assert!(explain(kind.name(), true).success());
        }
        for s in SCHEMAS {
            assert!(
                s.fields.windows(2).all(|w| w[0].name < w[1].name),
                "{} is not sorted",
                s.name
            );
        }
        assert_eq!(
            field_names(Kind::Deployment, &["spec", "strategy"]),
            vec!["rollingUpdate", "type"]
        );
        assert!(field_names(Kind::Pod, &["spec", "containers"]).contains(&"readinessProbe"));
    }

    #[test]
    fn wrap_follows_go_wordwrap() {
        assert_eq!(
            wrap("this is a really good test", 3),
            "this\nis\na\nreally\ngood\ntest"
        );
        assert_eq!(
            wrap("a https://example.com/a/very/long/url b", 10),
            "a\nhttps://example.com/a/very/long/url\nb"
        );
        assert_eq!(wrap("one\n\ntwo\n", 76), "one\n\ntwo\n");
    }
}
