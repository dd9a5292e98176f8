//! kubectl's help for the commands the simulator implements: the root help (`kubectl` alone,
//! `kubectl help`), `kubectl help CMD` / `kubectl CMD --help`, and the `kubectl api-resources`
//! table. Texts follow kubectl's own (short descriptions, examples, flag docs), cut down to
//! the simulated commands and flags.

use super::resources::Kind;
use crate::command::Output;

/// kubectl's root help groups, restricted to the simulated commands, in kubectl's order.
const GROUPS: &[(&str, &[(&str, &str)])] = &[
    (
        "Basic Commands (Beginner):",
        &[
            ("create", "Create a resource from a file or from stdin"),
            ("expose", "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service"),
            ("run", "Run a particular image on the cluster"),
            ("set", "Set specific features on objects"),
        ],
    ),
    (
        "Basic Commands (Intermediate):",
        &[
            ("explain", "Get documentation for a resource"),
            ("get", "Display one or many resources"),
            ("edit", "Edit a resource on the server"),
            ("delete", "Delete resources by file names, stdin, resources and names, or by resources and label selector"),
        ],
    ),
    (
        "Deploy Commands:",
        &[
            ("rollout", "Manage the rollout of a resource"),
            ("scale", "Set a new size for a deployment, replica set, or replication controller"),
        ],
    ),
    (
        "Cluster Management Commands:",
        &[
            ("cordon", "Mark node as unschedulable"),
            ("uncordon", "Mark node as schedulable"),
            ("drain", "Drain node in preparation for maintenance"),
        ],
    ),
    (
        "Troubleshooting and Debugging Commands:",
        &[
            ("describe", "Show details of a specific resource or group of resources"),
            ("logs", "Print the logs for a container in a pod"),
            ("exec", "Execute a command in a container"),
            ("events", "List events"),
        ],
    ),
    (
        "Advanced Commands:",
        &[
            ("diff", "Diff the live version against a would-be applied version"),
            ("apply", "Apply a configuration to a resource by file name or stdin"),
            ("patch", "Update fields of a resource"),
            ("wait", "Experimental: Wait for a specific condition on one or many resources"),
        ],
    ),
    (
        "Settings Commands:",
        &[("label", "Update the labels on a resource"), ("annotate", "Update the annotations on a resource")],
    ),
    (
        "Other Commands:",
        &[
            ("api-resources", "Print the supported API resources on the server"),
            ("version", "Print the client and server version information"),
        ],
    ),
];

const ROOT_USAGE: &str = "Usage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\n";

/// What `kubectl` with no arguments prints.
pub fn root() -> Output {
    let mut s = String::from(
        "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n",
    );
    for (title, cmds) in GROUPS {
        s.push_str(title);
        s.push('\n');
        for (name, short) in *cmds {
            s.push_str(&format!("  {name:<15} {short}\n"));
        }
        s.push('\n');
    }
    s.push_str(ROOT_USAGE);
    s.push_str("\nSimulator actions: kubesim node stop|start NODE, kubesim delete-pod DEPLOYMENT INDEX [-n NAMESPACE]\n");
    Output::ok(s)
}

/// `kubectl help [COMMAND [SUBCOMMAND]]`.
pub fn run(rest: &[String]) -> Output {
    let words: Vec<&str> = rest
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    let Some(first) = words.first() else {
        return root();
    };
    if words.len() > 1 {
        if let Some(h) = command_help(&format!("{first} {}", words[1])) {
            return Output::ok(h);
        }
    }
    if let Some(h) = command_help(first) {
        return Output::ok(h);
    }
    if super::COMMANDS.contains(first) {
        return Output::err(format!(
            "error: \"kubectl {first}\" is not available in this simulator; supported commands: {}\n",
            super::SUPPORTED.join(", ")
        ));
    }
    // cobra's help command: `Unknown help topic %#q` of the arguments, then the root usage.
    let topics: Vec<String> = words
        .iter()
        .map(|w| {
            if w.contains('`') || w.chars().any(char::is_control) {
                format!("{w:?}")
            } else {
                format!("`{w}`")
            }
        })
        .collect();
    Output::ok(format!(
        "Unknown help topic [{}]\n{ROOT_USAGE}",
        topics.join(" ")
    ))
}

/// The help a command prints for `-h`/`--help`, if `args` asks for it.
pub fn if_requested(topic: &str, args: &[String]) -> Option<Output> {
    args.iter()
        .any(|a| a == "-h" || a == "--help" || a == "--help=true")
        .then(|| Output::ok(command_help(topic).unwrap_or_else(|| root().stdout)))
}

struct Help {
    topic: &'static str,
    long: &'static str,
    examples: &'static str,
    subcommands: &'static [(&'static str, &'static str)],
    options: &'static [(&'static str, &'static str)],
    usage: &'static str,
}

const DRY_RUN: (&str, &str) = (
    "--dry-run='none'",
    "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.",
);
const OUTPUT: (&str, &str) = (
    "-o, --output=''",
    "Output format. One of: (json, yaml, kyaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).",
);
const TCP: (&str, &str) = (
    "--tcp=[]",
    "Port pairs can be specified as '<port>:<targetPort>'.",
);
const SELECTOR: (&str, &str) = (
    "-l, --selector=''",
    "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
);
const ALL_NAMESPACES: (&str, &str) = (
    "-A, --all-namespaces=false",
    "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.",
);
const OVERWRITE: &str = "If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels.";

const HELPS: &[Help] = &[
    Help {
        topic: "annotate",
        long: "Update the annotations on one or more resources.\n\n All Kubernetes objects support the ability to store additional data with the object as annotations. Annotations are key/value pairs that can be larger than labels and include arbitrary string values such as structured JSON. Tools and system extensions may use annotations to store their own data.\n\n Attempting to set an annotation that already exists will fail unless --overwrite is set.",
        examples: "  # Update pod 'foo' with the annotation 'description' and the value 'my frontend'\n  # If the same annotation is set multiple times, only the last value will be applied\n  kubectl annotate pods foo description='my frontend'\n  \n  # Update pod 'foo' with the annotation 'description' and the value 'my frontend running nginx', overwriting any existing value\n  kubectl annotate --overwrite pods foo description='my frontend running nginx'\n  \n  # Update pod 'foo' by removing an annotation named 'description' if it exists\n  # Does not require the --overwrite flag\n  kubectl annotate pods foo description-",
        subcommands: &[],
        options: &[
            ("--all=false", "Select all resources, in the namespace of the specified resource types."),
            DRY_RUN,
            OUTPUT,
            ("--overwrite=false", "If true, allow annotations to be overwritten, otherwise reject annotation updates that overwrite existing annotations."),
            SELECTOR,
        ],
        usage: "kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    },
    Help {
        topic: "api-resources",
        long: "Print the supported API resources on the server.",
        examples: "  # Print the supported API resources\n  kubectl api-resources",
        subcommands: &[],
        options: &[],
        usage: "kubectl api-resources [flags] [options]",
    },
    Help {
        topic: "apply",
        long: "Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with either 'apply' or 'create --save-config'.\n\n JSON and YAML formats are accepted.",
        examples: "  # Apply the configuration in pod.json to a pod\n  kubectl apply -f ./pod.json\n  \n  # Apply the configuration in deployment.yaml\n  kubectl apply -f deployment.yaml",
        subcommands: &[],
        options: &[
            DRY_RUN,
            ("-f, --filename=[]", "The files that contain the configurations to apply."),
            OUTPUT,
        ],
        usage: "kubectl apply (-f FILENAME | -k DIRECTORY) [options]",
    },
    Help {
        topic: "cordon",
        long: "Mark node as unschedulable.",
        examples: "  # Mark node \"foo\" as unschedulable\n  kubectl cordon foo",
        subcommands: &[],
        options: &[DRY_RUN, SELECTOR],
        usage: "kubectl cordon NODE [options]",
    },
    Help {
        topic: "create",
        long: "Create a resource from a file or from stdin.\n\n JSON and YAML formats are accepted.",
        examples: "  # Create a deployment named my-nginx that runs the nginx image\n  kubectl create deployment my-nginx --image=nginx",
        subcommands: &[
            ("deployment", "Create a deployment with the specified name"),
            ("namespace", "Create a namespace with the specified name"),
            ("service", "Create a service using a specified subcommand"),
        ],
        options: &[],
        usage: "kubectl create -f FILENAME [options]",
    },
    Help {
        topic: "create deployment",
        long: "Create a deployment with the specified name.",
        examples: "  # Create a deployment named my-nginx that runs the nginx image\n  kubectl create deployment my-nginx --image=nginx\n  \n  # Create a deployment named my-nginx that runs the nginx image with 3 replicas\n  kubectl create deployment my-nginx --image=nginx --replicas=3\n  \n  # Create a deployment named my-nginx that runs the nginx image and expose port 80\n  kubectl create deployment my-nginx --image=nginx --port=80",
        subcommands: &[],
        options: &[
            DRY_RUN,
            ("--image=[]", "Image names to run. A deployment can have multiple images set for multi-container pod."),
            OUTPUT,
            ("--port=-1", "The containerPort that this deployment exposes."),
            ("-r, --replicas=1", "Number of replicas to create. Default is 1."),
        ],
        usage: "kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]",
    },
    Help {
        topic: "create namespace",
        long: "Create a namespace with the specified name.",
        examples: "  # Create a new namespace named my-namespace\n  kubectl create namespace my-namespace",
        subcommands: &[],
        options: &[DRY_RUN, OUTPUT],
        usage: "kubectl create namespace NAME [--dry-run=server|client|none] [options]",
    },
    Help {
        topic: "create service",
        long: "Create a service using a specified subcommand.",
        examples: "",
        subcommands: &[
            ("clusterip", "Create a ClusterIP service"),
            ("externalname", "Create an ExternalName service"),
            ("loadbalancer", "Create a LoadBalancer service"),
            ("nodeport", "Create a NodePort service"),
        ],
        options: &[],
        usage: "kubectl create service [flags] [options]",
    },
    Help {
        topic: "create service clusterip",
        long: "Create a ClusterIP service with the specified name.",
        examples: "  # Create a new ClusterIP service named my-cs\n  kubectl create service clusterip my-cs --tcp=5678:8080\n  \n  # Create a new ClusterIP service named my-cs (in headless mode)\n  kubectl create service clusterip my-cs --clusterip=\"None\"",
        subcommands: &[],
        options: &[
            ("--clusterip=''", "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing)."),
            DRY_RUN,
            OUTPUT,
            TCP,
        ],
        usage: "kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
    },
    Help {
        topic: "create service nodeport",
        long: "Create a NodePort service with the specified name.",
        examples: "  # Create a new NodePort service named my-ns\n  kubectl create service nodeport my-ns --tcp=5678:8080",
        subcommands: &[],
        options: &[
            DRY_RUN,
            ("--node-port=0", "Port used to expose the service on each node in a cluster."),
            OUTPUT,
            TCP,
        ],
        usage: "kubectl create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
    },
    Help {
        topic: "create service loadbalancer",
        long: "Create a LoadBalancer service with the specified name.",
        examples: "  # Create a new LoadBalancer service named my-lbs\n  kubectl create service loadbalancer my-lbs --tcp=5678:8080",
        subcommands: &[],
        options: &[DRY_RUN, OUTPUT, TCP],
        usage: "kubectl create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
    },
    Help {
        topic: "create service externalname",
        long: "Create an ExternalName service with the specified name.\n\n ExternalName service references to an external DNS address instead of only pods, which will allow application authors to reference services that exist off platform, on other clusters, or locally.",
        examples: "  # Create a new ExternalName service named my-ns\n  kubectl create service externalname my-ns --external-name bar.com",
        subcommands: &[],
        options: &[
            DRY_RUN,
            ("--external-name=''", "External name of service"),
            OUTPUT,
            TCP,
        ],
        usage: "kubectl create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]",
    },
    Help {
        topic: "delete",
        long: "Delete resources by file names, stdin, resources and names, or by resources and label selector.\n\n JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or resources and label selector.\n\n Note that the delete command does NOT do resource version checks, so if someone submits an update to a resource right when you submit a delete, their update will be lost along with the rest of the resource.",
        examples: "  # Delete pods and services with same names \"baz\" and \"foo\"\n  kubectl delete pod,service baz foo\n  \n  # Delete pods and services with label name=myLabel\n  kubectl delete pods,services -l name=myLabel\n  \n  # Delete a pod with minimal delay\n  kubectl delete pod foo --now\n  \n  # Force delete a pod on a dead node\n  kubectl delete pod foo --force\n  \n  # Delete all pods\n  kubectl delete pods --all",
        subcommands: &[],
        options: &[
            ("--all=false", "Delete all resources, in the namespace of the specified resource types."),
            ("--cascade='background'", "Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background."),
            DRY_RUN,
            ("-f, --filename=[]", "containing the resource to delete."),
            ("--force=false", "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
            ("--grace-period=-1", "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
            ("--ignore-not-found=false", "Treat \"resource not found\" as a successful delete. Defaults to \"true\" when --all is specified."),
            ("--now=false", "If true, resources are signaled for immediate shutdown (same as --grace-period=1)."),
            SELECTOR,
        ],
        usage: "kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
    },
    Help {
        topic: "describe",
        long: "Show details of a specific resource or group of resources.\n\n Print a detailed description of the selected resources, including related resources such as events or controllers. You may select a single object by name, all objects of that type, provide a name prefix, or label selector.",
        examples: "  # Describe a node\n  kubectl describe nodes node-1\n  \n  # Describe a pod\n  kubectl describe pods/nginx\n  \n  # Describe all pods\n  kubectl describe pods\n  \n  # Describe pods by label name=myLabel\n  kubectl describe pods -l name=myLabel\n  \n  # Describe all pods managed by the 'frontend' replication controller\n  # (rc-created pods get the name of the rc as a prefix in the pod name)\n  kubectl describe pods frontend",
        subcommands: &[],
        options: &[
            ALL_NAMESPACES,
            SELECTOR,
            ("--show-events=true", "If true, display events related to the described object."),
        ],
        usage: "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
    },
    Help {
        topic: "diff",
        long: "Diff configurations specified by file name or stdin between the current online configuration, and the configuration as it would be if applied.\n\n The output is always YAML.\n\n KUBECTL_EXTERNAL_DIFF environment variable can be used to select your own diff command. Users can use external commands with params too, example: KUBECTL_EXTERNAL_DIFF=\"colordiff -N -u\"\n\n By default, the \"diff\" command available in your path will be run with the \"-u\" (unified diff) and \"-N\" (treat absent files as empty) options.\n\n Exit status: 0 No differences were found. 1 Differences were found. >1 Kubectl or diff failed with an error.\n\n Note: KUBECTL_EXTERNAL_DIFF, if used, is expected to follow that convention.",
        examples: "  # Diff resources included in pod.json\n  kubectl diff -f pod.json\n  \n  # Diff file read from stdin\n  cat service.yaml | kubectl diff -f -",
        subcommands: &[],
        options: &[
            ("-f, --filename=[]", "Filename, directory, or URL to files contains the configuration to diff"),
            ("--server-side=false", "If true, apply runs in the server instead of the client."),
        ],
        usage: "kubectl diff -f FILENAME [options]",
    },
    Help {
        topic: "edit",
        long: "Edit a resource from the default editor.\n\n The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi' for Linux or 'notepad' for Windows. When attempting to open the editor, it will first attempt to use the shell that has been defined in the 'SHELL' environment variable. If this is not defined, the default shell will be used, which is '/bin/bash' for Linux or 'cmd' for Windows.\n\n You can edit multiple objects, although changes are applied one at a time. The command accepts file names as well as command-line arguments, although the files you point to must be previously saved versions of resources.\n\n Editing is done with the API version used to fetch the resource. To edit using a specific API version, fully-qualify the resource, version, and group.\n\n The default format is YAML. To edit in JSON, specify \"-o json\".\n\n The flag --windows-line-endings can be used to force Windows line endings, otherwise the default for your operating system will be used.\n\n In the event an error occurs while updating, a temporary file will be created on disk that contains your unapplied changes. The most common error when updating a resource is another editor changing the resource on the server. When this occurs, you will have to apply your changes to the newer version of the resource, or update your temporary saved copy to include the latest resource version.",
        examples: "  # Edit the service named 'registry'\n  kubectl edit svc/registry\n  \n  # Use an alternative editor\n  KUBE_EDITOR=\"nano\" kubectl edit svc/registry\n  \n  # Edit the job 'myjob' in JSON using the v1 API format\n  kubectl edit job.v1.batch/myjob -o json\n  \n  # Edit the deployment 'mydeployment' in YAML and save the modified config in its annotation\n  kubectl edit deployment/mydeployment -o yaml --save-config",
        subcommands: &[],
        options: &[("-o, --output=''", "Output format. One of: (json, yaml, kyaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).")],
        usage: "kubectl edit (RESOURCE/NAME | -f FILENAME) [options]",
    },
    Help {
        topic: "events",
        long: "Display events.\n\n Prints a table of the most important information about events. You can request events for a namespace, for all namespace, or filtered to only those pertaining to a specified resource.",
        examples: "  # List recent events in the default namespace\n  kubectl events\n  \n  # List recent events in all namespaces\n  kubectl events --all-namespaces\n  \n  # List recent only events of type 'Warning' or 'Normal'\n  kubectl events --types=Warning,Normal",
        subcommands: &[],
        options: &[
            ALL_NAMESPACES,
            ("--for=''", "Filter events to only those pertaining to the specified resource."),
            ("--no-headers=false", "When using the default output format, don't print headers."),
            ("--types=[]", "Output only events of given types."),
        ],
        usage: "kubectl events [--for TYPE/NAME] [--types=Normal,Warning] [options]",
    },
    Help {
        topic: "drain",
        long: "Drain node in preparation for maintenance.\n\n The given node will be marked unschedulable to prevent new pods from arriving. 'drain' evicts the pods if the API server supports eviction. Otherwise, it will use normal DELETE to delete the pods. If there are daemon set-managed pods, drain will not proceed without --ignore-daemonsets. If there are any pods that are neither mirror pods nor managed by a replication controller, replica set, daemon set, stateful set, or job, then drain will not delete any pods unless you use --force.\n\n 'drain' waits for graceful termination. You should not operate on the machine until the command completes.\n\n When you are ready to put the node back into service, use kubectl uncordon, which will make the node schedulable again.",
        examples: "  # Drain node \"foo\", even if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set on it\n  kubectl drain foo --force\n  \n  # As above, but abort if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set, and use a grace period of 15 minutes\n  kubectl drain foo --grace-period=900",
        subcommands: &[],
        options: &[
            ("--delete-emptydir-data=false", "Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained)."),
            DRY_RUN,
            ("--force=false", "Continue even if there are pods that do not declare a controller."),
            ("--grace-period=-1", "Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used."),
            ("--ignore-daemonsets=false", "Ignore DaemonSet-managed pods."),
            ("--timeout=0s", "The length of time to wait before giving up, zero means infinite"),
        ],
        usage: "kubectl drain NODE [options]",
    },
    Help {
        topic: "explain",
        long: "Describe fields and structure of various resources.\n\n This command describes the fields associated with each supported API resource. Fields are identified via a simple JSONPath identifier:\n\n        <type>.<fieldName>[.<fieldName>]\n        \n Information about each field is retrieved from the server in OpenAPI format.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
        examples: "  # Get the documentation of the resource and its fields\n  kubectl explain pods\n  \n  # Get all the fields in the resource\n  kubectl explain pods --recursive\n  \n  # Get the explanation for deployment in supported api versions\n  kubectl explain deployments --api-version=apps/v1\n  \n  # Get the documentation of a specific field of a resource\n  kubectl explain pods.spec.containers",
        subcommands: &[],
        options: &[
            ("--api-version=''", "Use given api-version (group/version) of the resource."),
            ("--output='plaintext'", "Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2)."),
            ("--recursive=false", "When true, print the name of all the fields recursively. Otherwise, print the available fields with their description."),
        ],
        usage: "kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [--output=plaintext|plaintext-openapiv2] [options]",
    },
    Help {
        topic: "expose",
        long: "Expose a resource as a new Kubernetes service.\n\n Looks up a deployment, service, replica set, replication controller or pod by name and uses the selector for that resource as the selector for a new service on the specified port. A deployment or replica set will be exposed as a service only if its selector is convertible to a selector that service supports, i.e. when the selector contains only the matchLabels component. Note that if no port is specified via --port and the exposed resource has multiple ports, all will be re-used by the new service. Also if no labels are specified, the new service will re-use the labels from the resource it exposes.\n\n Possible resources include (case insensitive):\n\n pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)",
        examples: "  # Create a service for a pod valid-pod, which serves on port 444 with the name \"frontend\"\n  kubectl expose pod valid-pod --port=444 --name=frontend\n  \n  # Create a second service based on the above service, exposing the container port 8443 as port 443 with the name \"nginx-https\"\n  kubectl expose service nginx --port=443 --target-port=8443 --name=nginx-https\n  \n  # Create a service for a replicated web server using replica set, which serves on port 80 and connects to the containers on port 8000\n  kubectl expose rs nginx --port=80 --target-port=8000\n  \n  # Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000\n  kubectl expose deployment nginx --port=80 --target-port=8000",
        subcommands: &[],
        options: &[
            DRY_RUN,
            ("-l, --labels=''", "Labels to apply to the service created by this call."),
            ("--name=''", "The name for the newly created object."),
            OUTPUT,
            ("--port=''", "The port that the service should serve on. Copied from the resource being exposed, if unspecified"),
            ("--protocol=''", "The network protocol for the service to be created. Default is 'TCP'."),
            ("--selector=''", "A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)"),
            ("--target-port=''", "Name or number for the port on the container that the service should direct traffic to. Optional."),
            ("--type=''", "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'."),
        ],
        usage: "kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
    },
    Help {
        topic: "get",
        long: "Display one or many resources.\n\n Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don't specify any namespace.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
        examples: "  # List all pods in ps output format\n  kubectl get pods\n  \n  # List all pods in ps output format with more information (such as node name)\n  kubectl get pods -o wide\n  \n  # List a single deployment with specified NAME in ps output format\n  kubectl get deployment web\n  \n  # List all replica sets and services together in ps output format\n  kubectl get rs,services\n  \n  # List one or more resources by their type and names\n  kubectl get deployment/web pods/web-7c5ddbdf54-x8k2q",
        subcommands: &[],
        options: &[
            ALL_NAMESPACES,
            ("--no-headers=false", "When using the default or custom-column output format, don't print headers (default print headers)."),
            ("-o, --output=''", "Output format. One of: (json, yaml, kyaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/]."),
            SELECTOR,
            ("--show-labels=false", "When printing, show all labels as the last column (default hide labels column)"),
            ("--template=''", "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]."),
            ("-w, --watch=false", "After listing/getting the requested object, watch for changes."),
            ("--watch-only=false", "Watch for changes to the requested object(s), without listing/getting first."),
        ],
        usage: "kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
    },
    Help {
        topic: "help",
        long: "Help provides help for any command in the application.\nSimply type kubectl help [path to command] for full details.",
        examples: "",
        subcommands: &[],
        options: &[],
        usage: "kubectl help [command] [options]",
    },
    Help {
        topic: "exec",
        long: "Execute a command in a container.",
        examples: "  # Get output from running the 'date' command from pod mypod, using the first container by default\n  kubectl exec mypod -- date\n  \n  # Get output from running the 'date' command in ruby-container from pod mypod\n  kubectl exec mypod -c ruby-container -- date\n  \n  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod\n  # and sends stdout/stderr from 'bash' back to the client\n  kubectl exec mypod -c ruby-container -i -t -- bash -il\n  \n  # List contents of /usr from the first container of pod mypod and sort by modification time\n  # If the command you want to execute in the pod has any flags in common (e.g. -i),\n  # you must use two dashes (--) to separate your command's flags/arguments\n  # Also note, do not surround your command and its flags/arguments with quotes\n  # unless that is how you would execute it normally (i.e., do ls -t /usr, not \"ls -t /usr\")\n  kubectl exec mypod -i -t -- ls -t /usr\n  \n  # Get output from running 'date' command from the first pod of the deployment mydeployment, using the first container by default\n  kubectl exec deploy/mydeployment -- date\n  \n  # Get output from running 'date' command from the first pod of the service myservice, using the first container by default\n  kubectl exec svc/myservice -- date",
        subcommands: &[],
        options: &[
            ("-c, --container=''", "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen"),
            ("-f, --filename=[]", "to use to exec into the resource"),
            ("--pod-running-timeout=1m0s", "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running"),
            ("-q, --quiet=false", "Only print output from the remote session"),
            ("-i, --stdin=false", "Pass stdin to the container"),
            ("-t, --tty=false", "Stdin is a TTY"),
        ],
        usage: "kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
    },
    Help {
        topic: "logs",
        long: "Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.",
        examples: "  # Return snapshot logs from pod nginx with only one container\n  kubectl logs nginx\n  \n  # Return snapshot logs from pod nginx, prefixing each line with the source pod and container name\n  kubectl logs nginx --prefix\n  \n  # Return snapshot logs from pod nginx, limiting output to 500 bytes\n  kubectl logs nginx --limit-bytes=500\n  \n  # Return snapshot logs from pod nginx with multi containers\n  kubectl logs nginx --all-containers=true\n  \n  # Return snapshot logs from all pods in the deployment nginx\n  kubectl logs deployment/nginx --all-pods=true\n  \n  # Return snapshot logs from all containers in pods defined by label app=nginx\n  kubectl logs -l app=nginx --all-containers=true\n  \n  # Return snapshot of previous terminated ruby container logs from pod web-1\n  kubectl logs -p -c ruby web-1\n  \n  # Begin streaming the logs from pod nginx, continuing even if errors occur\n  kubectl logs nginx -f --ignore-errors=true\n  \n  # Begin streaming the logs of the ruby container in pod web-1\n  kubectl logs -f -c ruby web-1\n  \n  # Display only the most recent 20 lines of output in pod nginx\n  kubectl logs --tail=20 nginx\n  \n  # Show all logs from pod nginx written in the last hour\n  kubectl logs --since=1h nginx\n  \n  # Return snapshot logs from first container of a job named hello\n  kubectl logs job/hello",
        subcommands: &[],
        options: &[
            ("--all-containers=false", "Get all containers' logs in the pod(s)."),
            ("--all-pods=false", "Get logs from all pod(s). Sets prefix to true."),
            ("-c, --container=''", "Print the logs of this container"),
            ("-f, --follow=false", "Specify if the logs should be streamed."),
            ("--ignore-errors=false", "If watching / following pod logs, allow for any errors that occur to be non-fatal"),
            ("--limit-bytes=0", "Maximum bytes of logs to return. Defaults to no limit."),
            ("--max-log-requests=5", "Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5."),
            ("--pod-running-timeout=20s", "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running"),
            ("--prefix=false", "Prefix each log line with the log source (pod name and container name)"),
            ("-p, --previous=false", "If true, print the logs for the previous instance of the container in a pod if it exists."),
            SELECTOR,
            ("--since=0s", "Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used."),
            ("--since-time=''", "Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used."),
            ("--tail=-1", "Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided."),
            ("--timestamps=false", "Include timestamps on each line in the log output"),
        ],
        usage: "kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
    },
    Help {
        topic: "patch",
        long: "Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.\n\n JSON and YAML formats are accepted.\n\n Note: Strategic merge patch is not supported for custom resources.",
        examples: "  # Partially update a node using a strategic merge patch, specifying the patch as JSON\n  kubectl patch node k8s-node-1 -p '{\"spec\":{\"unschedulable\":true}}'\n  \n  # Partially update a node using a strategic merge patch, specifying the patch as YAML\n  kubectl patch node k8s-node-1 -p $'spec:\\n unschedulable: true'\n  \n  # Update a container's image using a JSON patch with positional arrays\n  kubectl patch pod valid-pod --type='json' -p='[{\"op\": \"replace\", \"path\": \"/spec/containers/0/image\", \"value\":\"new image\"}]'",
        subcommands: &[],
        options: &[
            DRY_RUN,
            OUTPUT,
            ("-p, --patch=''", "The patch to be applied to the resource JSON file."),
            ("--type='strategic'", "The type of patch being provided; one of [json merge strategic]"),
        ],
        usage: "kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
    },
    Help {
        topic: "label",
        long: "Update the labels on a resource.\n\n  *  A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.\n  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.\n  *  If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an error.",
        examples: "  # Update pod 'foo' with the label 'unhealthy' and the value 'true'\n  kubectl label pods foo unhealthy=true\n  \n  # Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value\n  kubectl label --overwrite pods foo status=unhealthy\n  \n  # Update all pods in the namespace\n  kubectl label pods --all status=unhealthy\n  \n  # Update pod 'foo' by removing a label named 'bar' if it exists\n  # Does not require the --overwrite flag\n  kubectl label pods foo bar-",
        subcommands: &[],
        options: &[
            ("--all=false", "Select all resources, in the namespace of the specified resource types"),
            DRY_RUN,
            OUTPUT,
            ("--overwrite=false", OVERWRITE),
            SELECTOR,
        ],
        usage: "kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
    },
    Help {
        topic: "rollout",
        long: "Manage the rollout of one or many resources.\n        \n Valid resource types include:\n\n  *  deployments",
        examples: "  # Rollback to the previous deployment\n  kubectl rollout undo deployment/abc\n  \n  # Check the rollout status of a deployment\n  kubectl rollout status deployment/abc\n  \n  # Restart a deployment\n  kubectl rollout restart deployment/abc",
        subcommands: &[
            ("history", "View rollout history"),
            ("pause", "Mark the provided resource as paused"),
            ("restart", "Restart a resource"),
            ("resume", "Resume a paused resource"),
            ("status", "Show the status of the rollout"),
            ("undo", "Undo a previous rollout"),
        ],
        options: &[],
        usage: "kubectl rollout SUBCOMMAND [options]",
    },
    Help {
        topic: "rollout history",
        long: "View previous rollout revisions and configurations.",
        examples: "  # View the rollout history of a deployment\n  kubectl rollout history deployment/abc\n  \n  # View the details of deployment revision 3\n  kubectl rollout history deployment/abc --revision=3",
        subcommands: &[],
        options: &[("--revision=0", "See the details, including podTemplate of the revision specified"), SELECTOR],
        usage: "kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
    },
    Help {
        topic: "rollout pause",
        long: "Mark the provided resource as paused.\n\n Paused resources will not be reconciled by a controller. Use \"kubectl rollout resume\" to resume a paused resource. Currently only deployments support being paused.",
        examples: "  # Mark the nginx deployment as paused\n  # Any current state of the deployment will continue its function; new updates\n  # to the deployment will not have an effect as long as the deployment is paused\n  kubectl rollout pause deployment/nginx",
        subcommands: &[],
        options: &[SELECTOR],
        usage: "kubectl rollout pause RESOURCE [options]",
    },
    Help {
        topic: "rollout restart",
        long: "Restart a resource.\n\n        Resource rollout will be restarted.",
        examples: "  # Restart all deployments in the test-namespace namespace\n  kubectl rollout restart deployment -n test-namespace\n  \n  # Restart a deployment\n  kubectl rollout restart deployment/nginx",
        subcommands: &[],
        options: &[SELECTOR],
        usage: "kubectl rollout restart RESOURCE [options]",
    },
    Help {
        topic: "rollout resume",
        long: "Resume a paused resource.\n\n Paused resources will not be reconciled by a controller. By resuming a resource, we allow it to be reconciled again. Currently only deployments support being resumed.",
        examples: "  # Resume an already paused deployment\n  kubectl rollout resume deployment/nginx",
        subcommands: &[],
        options: &[SELECTOR],
        usage: "kubectl rollout resume RESOURCE [options]",
    },
    Help {
        topic: "rollout status",
        long: "Show the status of the rollout.\n\n By default 'rollout status' will watch the status of the latest rollout until it's done. If you don't want to wait for the rollout to finish then you can use --watch=false. Note that if a new rollout starts in-between, then 'rollout status' will continue watching the latest revision. If you want to pin to a specific revision and abort if it is rolled over by another revision, use --revision=N where N is the revision you need to watch for.",
        examples: "  # Watch the rollout status of a deployment\n  kubectl rollout status deployment/nginx",
        subcommands: &[],
        options: &[
            ("--revision=0", "Pin to a specific revision for showing its status. Defaults to 0 (last revision)."),
            ("--timeout=0s", "The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h)."),
            ("-w, --watch=true", "Watch the status of the rollout until it's done."),
        ],
        usage: "kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
    },
    Help {
        topic: "rollout undo",
        long: "Roll back to a previous rollout.",
        examples: "  # Roll back to the previous deployment\n  kubectl rollout undo deployment/abc\n  \n  # Roll back to deployment revision 3\n  kubectl rollout undo deployment/abc --to-revision=3\n  \n  # Roll back to the previous deployment with dry-run\n  kubectl rollout undo --dry-run=server deployment/abc",
        subcommands: &[],
        options: &[DRY_RUN, SELECTOR, ("--to-revision=0", "The revision to rollback to. Default to 0 (last revision).")],
        usage: "kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
    },
    Help {
        topic: "run",
        long: "Create and run a particular image in a pod.",
        examples: "  # Start a nginx pod\n  kubectl run nginx --image=nginx\n  \n  # Start a hazelcast pod and let the container expose port 5701\n  kubectl run hazelcast --image=hazelcast/hazelcast --port=5701\n  \n  # Start a hazelcast pod and set environment variables \"DNS_DOMAIN=cluster\" and \"POD_NAMESPACE=default\" in the container\n  kubectl run hazelcast --image=hazelcast/hazelcast --env=\"DNS_DOMAIN=cluster\" --env=\"POD_NAMESPACE=default\"\n  \n  # Start a hazelcast pod and set labels \"app=hazelcast\" and \"env=prod\" in the container\n  kubectl run hazelcast --image=hazelcast/hazelcast --labels=\"app=hazelcast,env=prod\"\n  \n  # Dry run; print the corresponding API objects without creating them\n  kubectl run nginx --image=nginx --dry-run=client\n  \n  # Start the nginx pod using the default command, but use custom arguments (arg1 .. argN) for that command\n  kubectl run nginx --image=nginx -- <arg1> <arg2> ... <argN>\n  \n  # Start the nginx pod using a different command and custom arguments\n  kubectl run nginx --image=nginx --command -- <cmd> <arg1> ... <argN>",
        subcommands: &[],
        options: &[
            ("--command=false", "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default."),
            DRY_RUN,
            ("--env=[]", "Environment variables to set in the container."),
            ("--image=''", "The image for the container to run."),
            ("-l, --labels=''", "Comma separated labels to apply to the pod. Will override previous values."),
            OUTPUT,
            ("--port=''", "The port that this container exposes."),
            ("--restart=''", "The restart policy for this Pod.  Legal values [Always, OnFailure, Never]."),
        ],
        usage: "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
    },
    Help {
        topic: "scale",
        long: "Set a new size for a deployment, replica set, replication controller, or stateful set.\n\n Scale also allows users to specify one or more preconditions for the scale action.\n\n If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.",
        examples: "  # Scale a replica set named 'foo' to 3\n  kubectl scale --replicas=3 rs/foo\n  \n  # If the deployment named mysql's current size is 2, scale mysql to 3\n  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql\n  \n  # Scale a deployment named 'web' to 5\n  kubectl scale deployment web --replicas=5",
        subcommands: &[],
        options: &[
            ("--current-replicas=-1", "Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition."),
            DRY_RUN,
            ("--replicas=0", "The new desired number of replicas. Required."),
        ],
        usage: "kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
    },
    Help {
        topic: "set",
        long: "Configure application resources.\n\n These commands help you make changes to existing application resources.",
        examples: "",
        subcommands: &[
            ("env", "Update environment variables on a pod template"),
            ("image", "Update the image of a pod template"),
            ("resources", "Update resource requests/limits on objects with pod templates"),
        ],
        options: &[],
        usage: "kubectl set SUBCOMMAND [options]",
    },
    Help {
        topic: "set env",
        long: "Update environment variables on a pod template.\n\n List environment variable definitions in one or more pods, pod templates. Add, update, or remove container environment variable definitions in one or more pod templates (within replication controllers or deployment configurations). View or modify the environment variable definitions on all containers in the specified pods or pod templates, or just those that match a wildcard.\n\n If \"--env -\" is passed, environment variables can be read from STDIN using the standard env syntax.\n\n Possible resources include (case insensitive):\n\n        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)",
        examples: "  # Update deployment 'registry' with a new environment variable\n  kubectl set env deployment/registry STORAGE_DIR=/local\n  \n  # List the environment variables defined on a deployments 'sample-build'\n  kubectl set env deployment/sample-build --list\n  \n  # Output modified deployment in YAML, and does not alter the object on the server\n  kubectl set env deployment/sample-build STORAGE_DIR=/data -o yaml\n  \n  # Remove the environment variable ENV from container 'c1' in all deployment configs\n  kubectl set env deployments --all --containers=\"c1\" ENV-",
        subcommands: &[],
        options: &[
            ("-c, --containers='*'", "The names of containers in the selected pod templates to change - may use wildcards"),
            DRY_RUN,
            ("-e, --env=[]", "Specify a key-value pair for an environment variable to set into each container."),
            ("--list=false", "If true, display the environment and any changes in the standard format. this flag will removed when we have kubectl view env."),
            OUTPUT,
            ("--overwrite=true", "If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment."),
        ],
        usage: "kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
    },
    Help {
        topic: "set image",
        long: "Update existing container image(s) of resources.\n\n Possible resources include (case insensitive):\n\n        pod (po), deployment (deploy), replicaset (rs)",
        examples: "  # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'\n  kubectl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1\n  \n  # Update image of all containers of deployment abc to 'nginx:1.9.1'\n  kubectl set image deployment abc *=nginx:1.9.1",
        subcommands: &[],
        options: &[DRY_RUN, OUTPUT],
        usage: "kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
    },
    Help {
        topic: "set resources",
        long: "Specify compute resource requirements (CPU, memory) for any resource that defines a pod template.  If a pod is successfully scheduled, it is guaranteed the amount of resource requested, but may burst up to its specified limits.\n\n For each compute resource, if a limit is specified and a request is omitted, the request will default to the limit.\n\n Possible resources include (case insensitive): replicationcontroller (rc), deployment (deploy), daemonset (ds), job, replicaset (rs), statefulset",
        examples: "  # Set a deployments nginx container cpu limits to \"200m\" and memory to \"512Mi\"\n  kubectl set resources deployment nginx -c=nginx --limits=cpu=200m,memory=512Mi\n  \n  # Set the resource request and limits for all containers in nginx\n  kubectl set resources deployment nginx --limits=cpu=200m,memory=512Mi --requests=cpu=100m,memory=256Mi",
        subcommands: &[],
        options: &[
            ("-c, --containers='*'", "The names of containers in the selected pod templates to change, all containers are selected by default - may use wildcards"),
            DRY_RUN,
            ("--limits=''", "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges."),
            OUTPUT,
            ("--requests=''", "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges."),
        ],
        usage: "kubectl set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS] [options]",
    },
    Help {
        topic: "uncordon",
        long: "Mark node as schedulable.",
        examples: "  # Mark node \"foo\" as schedulable\n  kubectl uncordon foo",
        subcommands: &[],
        options: &[DRY_RUN, SELECTOR],
        usage: "kubectl uncordon NODE [options]",
    },
    Help {
        topic: "version",
        long: "Print the client and server version information for the current context.",
        examples: "  # Print the client and server versions for the current context\n  kubectl version",
        subcommands: &[],
        options: &[("--client=false", "If true, shows client version only (no server required).")],
        usage: "kubectl version [flags] [options]",
    },
    Help {
        topic: "wait",
        long: "Experimental: Wait for a specific condition on one or many resources.\n\n The command takes multiple resources and waits until the specified condition is seen in the Status field of every given resource.\n\n Alternatively, the command can wait for the given set of resources to be created or deleted by providing the \"create\" or \"delete\" keyword as the value to the --for flag.\n\n A successful message will be printed to stdout indicating when the specified condition has been met. You can use -o option to change to output destination.",
        examples: "  # Wait for the pod \"busybox1\" to contain the status condition of type \"Ready\"\n  kubectl wait --for=condition=Ready pod/busybox1\n  \n  # The default value of status condition is true; you can wait for other targets after an equal delimiter (compared after Unicode simple case folding, which is a more general form of case-insensitivity)\n  kubectl wait --for=condition=Ready=false pod/busybox1\n  \n  # Wait for the pod \"busybox1\" to contain the status phase to be \"Running\"\n  kubectl wait --for=jsonpath='{.status.phase}'=Running pod/busybox1\n  \n  # Wait for the pod \"busybox1\" to be deleted, with a timeout of 60s, after having issued the \"delete\" command\n  kubectl delete pod/busybox1\n  kubectl wait --for=delete pod/busybox1 --timeout=60s",
        subcommands: &[],
        options: &[
            ("--all=false", "Select all resources in the namespace of the specified resource types"),
            ("--for=''", "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true.  Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity."),
            ("-o, --output=''", "Output format. One of: (json, yaml, kyaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file)."),
            SELECTOR,
            ("--timeout=30s", "The length of time to wait before giving up.  Zero means check once and don't wait, negative means wait for a week."),
        ],
        usage: "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
    },
];

/// What `kubectl VERB --help` prints, for a simulated command or `rollout`/`set`/`create`
/// subcommand (`"rollout undo"`, `"set image"`); `None` for anything else.
pub fn command_help(verb: &str) -> Option<String> {
    let words: Vec<&str> = verb.split_whitespace().collect();
    let topic = match words.as_slice() {
        ["create", "deploy"] => "create deployment".to_string(),
        ["create", "ns"] => "create namespace".to_string(),
        ["create", "svc", rest @ ..] => ["create service"]
            .iter()
            .chain(rest)
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
        _ => words.join(" "),
    };
    let h = HELPS.iter().find(|h| h.topic == topic)?;
    let mut s = format!("{}\n\n", h.long);
    // cobra's `NameAndAliases`, for the commands that have aliases.
    const ALIASES: [(&str, &str); 3] = [
        ("create deployment", "deployment, deploy"),
        ("create namespace", "namespace, ns"),
        ("create service", "service, svc"),
    ];
    if let Some((_, names)) = ALIASES.iter().find(|(t, _)| *t == topic) {
        s.push_str(&format!("Aliases:\n{names}\n\n"));
    }
    if !h.examples.is_empty() {
        s.push_str(&format!("Examples:\n{}\n\n", h.examples));
    }
    if !h.subcommands.is_empty() {
        s.push_str("Available Commands:\n");
        for (name, short) in h.subcommands {
            s.push_str(&format!("  {name:<13} {short}\n"));
        }
        s.push('\n');
    }
    if !h.options.is_empty() {
        s.push_str("Options:\n");
        for (flag, doc) in h.options {
            s.push_str(&format!("    {flag}:\n\t{doc}\n\n"));
        }
    }
    s.push_str(&format!("Usage:\n  {}\n", h.usage));
    if !h.subcommands.is_empty() {
        s.push_str(&format!(
            "\nUse \"kubectl {} <command> --help\" for more information about a given command.\n",
            h.topic
        ));
    }
    Some(s)
}

/// `kubectl api-resources`: the simulated kinds, ordered like the server's discovery
/// (by API group, then resource name).
/// `kubectl api-resources`, with the filters of apiresources.go (`--namespaced` only when
/// given, `--api-group`) and its `-o name` (`resource.group`) and `--no-headers`.
pub fn api_resources(rest: &[String]) -> Output {
    use super::args::{self, flag};
    const FLAGS: &[args::Flag] = &[
        flag("namespaced", None, true),
        flag("api-group", None, true),
        flag("output", Some('o'), true),
        flag("no-headers", None, false),
        flag("sort-by", None, true),
    ];
    const ROWS: &[(&str, &str, &str, Kind)] = &[
        ("endpoints", "ep", "v1", Kind::Endpoints),
        ("events", "ev", "v1", Kind::Event),
        ("namespaces", "ns", "v1", Kind::Namespace),
        ("nodes", "no", "v1", Kind::Node),
        ("pods", "po", "v1", Kind::Pod),
        ("resourcequotas", "quota", "v1", Kind::ResourceQuota),
        ("services", "svc", "v1", Kind::Service),
        ("deployments", "deploy", "apps/v1", Kind::Deployment),
        ("replicasets", "rs", "apps/v1", Kind::ReplicaSet),
        (
            "endpointslices",
            "",
            "discovery.k8s.io/v1",
            Kind::EndpointSlice,
        ),
        ("events", "ev", "events.k8s.io/v1", Kind::Event),
    ];
    let a = match args::parse(rest, FLAGS) {
        Ok(a) => a,
        Err(e) => return super::flag_error("api-resources", &e),
    };
    if a.bool("help") {
        return Output::ok(command_help("api-resources").unwrap_or_default());
    }
    if let Some(extra) = a.positional.first() {
        return Output::err(format!(
            "error: unexpected arguments: [{extra}]\nSee 'kubectl api-resources -h' for help and examples\n"
        ));
    }
    let output = a.get("output").unwrap_or("");
    if !matches!(output, "" | "name" | "wide") {
        return Output::err(format!("error: --output {output} is not available\n"));
    }
    let sort_by = a.get("sort-by").unwrap_or("");
    if !matches!(sort_by, "" | "name" | "kind") {
        return Output::err("error: --sort-by accepts only name or kind\n");
    }
    let namespaced = a.get("namespaced").map(|_| a.bool("namespaced"));
    let group = a.get("api-group");
    let group_of = |version: &str| version.rsplit_once('/').map_or("", |(g, _)| g).to_string();
    let mut rows: Vec<&(&str, &str, &str, Kind)> = ROWS
        .iter()
        .filter(|(_, _, version, kind)| {
            namespaced.is_none_or(|n| n == kind.namespaced())
                && group.is_none_or(|g| g == group_of(version))
        })
        .collect();
    match sort_by {
        "name" => crate::order::sort_by_key(&mut rows, |r| r.0),
        "kind" => crate::order::sort_by_key(&mut rows, |r| r.3.name()),
        _ => {}
    }
    if output == "name" {
        let names: String = rows
            .iter()
            .map(|(name, _, version, _)| match group_of(version).as_str() {
                "" => format!("{name}\n"),
                g => format!("{name}.{g}\n"),
            })
            .collect();
        return Output::ok(names);
    }
    let wide = output == "wide";
    let mut table: Vec<Vec<String>> = Vec::new();
    if !a.bool("no-headers") {
        let mut header = vec!["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"];
        if wide {
            header.extend(["VERBS", "CATEGORIES"]);
        }
        table.push(header.iter().map(|s| s.to_string()).collect());
    }
    for (name, short, version, kind) in rows {
        let mut row = vec![
            name.to_string(),
            short.to_string(),
            version.to_string(),
            kind.namespaced().to_string(),
            kind.name().to_string(),
        ];
        if wide {
            // The discovery document's verbs (namespaces have no deletecollection) and the
            // `all` category of the workload kinds and Services.
            row.push(if *kind == Kind::Namespace {
                "create,delete,get,list,patch,update,watch".to_string()
            } else {
                "create,delete,deletecollection,get,list,patch,update,watch".to_string()
            });
            let all = [Kind::Pod, Kind::Service, Kind::Deployment, Kind::ReplicaSet];
            row.push(if all.contains(kind) { "all" } else { "" }.to_string());
        }
        table.push(row);
    }
    Output::ok(super::printers::table(&table))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_help_lists_every_simulated_command() {
        let root = root().stdout;
        for cmd in super::super::SUPPORTED.iter().filter(|c| **c != "help") {
            assert!(root.contains(&format!("\n  {cmd:<15} ")), "{cmd} missing");
            assert!(command_help(cmd).is_some(), "no help for {cmd}");
        }
        assert!(root.starts_with("kubectl controls the Kubernetes cluster manager.\n"));
        assert!(
            root.contains("Deploy Commands:\n  rollout         Manage the rollout of a resource\n")
        );
        assert!(root.contains("kubesim node stop|start NODE"));
        assert!(root.contains("kubesim delete-pod DEPLOYMENT INDEX"));
    }

    #[test]
    fn api_resources_filters_and_names_as_apiresources_go_does() {
        let run = |line: &str| {
            let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
            api_resources(&words)
        };
        let cluster_scoped = run("--namespaced=false").stdout;
        assert_eq!(
            cluster_scoped,
            "NAME         SHORTNAMES   APIVERSION   NAMESPACED   KIND\nnamespaces   ns           v1           false        Namespace\nnodes        no           v1           false        Node\n"
        );
        assert_eq!(
            run("--api-group=apps -o name").stdout,
            "deployments.apps\nreplicasets.apps\n"
        );
        // The core group has no suffix; --no-headers drops the header row only.
        let plain = run("--no-headers").stdout;
        assert!(plain.starts_with("endpoints "), "{plain}");
        assert_eq!(plain.lines().count(), 11);
        let wide = run("-o wide --api-group=apps").stdout;
        assert_eq!(
            wide,
            "NAME          SHORTNAMES   APIVERSION   NAMESPACED   KIND         VERBS                                                        CATEGORIES\n\
             deployments   deploy       apps/v1      true         Deployment   create,delete,deletecollection,get,list,patch,update,watch   all\n\
             replicasets   rs           apps/v1      true         ReplicaSet   create,delete,deletecollection,get,list,patch,update,watch   all\n"
        );
        assert!(run("-o wide --namespaced=false")
            .stdout
            .contains("\nnamespaces   ns           v1           false        Namespace   create,delete,get,list,patch,update,watch                    \n"));
        assert_eq!(
            run("-o yaml").stderr,
            "error: --output yaml is not available\n"
        );
        assert_eq!(
            run("--sort-by=age").stderr,
            "error: --sort-by accepts only name or kind\n"
        );
    }

    #[test]
    fn command_help_has_usage_examples_and_options() {
        let h = command_help("rollout undo").unwrap();
        assert!(h.starts_with("Roll back to a previous rollout.\n\nExamples:\n  # Roll back to the previous deployment\n"));
        assert!(h.contains("Options:\n    --dry-run='none':\n\tMust be \"none\""));
        assert!(h.ends_with(
            "Usage:\n  kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]\n"
        ));
        let r = command_help("rollout").unwrap();
        assert!(r.contains("Available Commands:\n  history       View rollout history\n"));
        assert_eq!(
            command_help("create deploy"),
            command_help("create deployment")
        );
        // The commands with aliases list them after the description, as cobra does.
        assert!(command_help("create svc")
            .unwrap()
            .starts_with("Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n"));
        assert!(command_help("create namespace")
            .unwrap()
            .contains("\n\nAliases:\nnamespace, ns\n\nExamples:\n"));
        assert!(!command_help("create service clusterip")
            .unwrap()
            .contains("Aliases:"));
    }

    #[test]
    fn unknown_topics() {
        assert_eq!(command_help("foo"), None);
        assert_eq!(command_help("rollout foo"), None);
        let out = run(&["foo".to_string()]);
        assert!(out
            .stdout
            .starts_with("Unknown help topic [`foo`]\nUsage:\n  kubectl [flags] [options]\n"));
        let out = run(&["port-forward".to_string()]);
        assert_eq!(out.exit_code, 1);
        assert!(out
            .stderr
            .contains("\"kubectl port-forward\" is not available in this simulator"));
        assert_eq!(
            run(&["rollout".into(), "status".into()]).stdout,
            command_help("rollout status").unwrap()
        );
        assert_eq!(run(&[]).stdout, root().stdout);
        assert!(if_requested("scale", &["web".into(), "-h".into()]).is_some());
        assert!(if_requested("scale", &["web".into()]).is_none());
    }

    #[test]
    fn api_resources_table() {
        let out = api_resources(&[]).stdout;
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "NAME             SHORTNAMES   APIVERSION            NAMESPACED   KIND"
        );
        assert!(lines.contains(
            &"deployments      deploy       apps/v1               true         Deployment"
        ));
        assert!(lines.contains(
            &"endpointslices                discovery.k8s.io/v1   true         EndpointSlice"
        ));
        assert!(lines
            .contains(&"nodes            no           v1                    false        Node"));
        assert!(out.lines().all(|l| !l.ends_with(' ')));
    }
}
