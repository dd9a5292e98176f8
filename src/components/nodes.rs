//! The node view: pods placed on their nodes, and the node actions (stop, start, cordon,
//! uncordon, drain). Pods the scheduler has not placed yet wait in their own row.

use super::cluster::{kubectl_line, PodTile, Tiles};
use kubesim::view::{ClusterView, NodeView, PodView};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NodesPanelProps {
    pub cluster: Rc<ClusterView>,
    pub on_command: Callback<String>,
}

#[function_component(NodesPanel)]
pub fn nodes_panel(p: &NodesPanelProps) -> Html {
    let unscheduled: Vec<PodView> = p
        .cluster
        .deployments
        .iter()
        .flat_map(|d| d.replicasets.iter())
        .flat_map(|rs| rs.pods.iter())
        .chain(&p.cluster.pods)
        .filter(|pod| pod.node.is_none())
        .cloned()
        .collect();
    let tiles = Tiles::count(
        p.cluster
            .nodes
            .iter()
            .flat_map(|n| n.pods.iter())
            .chain(&unscheduled),
    );
    let compact = tiles.compact();
    html! {
        <section class={classes!("nodes", tiles.density())} aria-label="Nodes">
            if let Some(notice) = &p.cluster.node_notice {
                <p class="node-notice" role="status">{ notice.clone() }</p>
            }
            { for p.cluster.nodes.iter().map(|n| html! {
                <NodeCard key={n.name.clone()} node={n.clone()} compact={compact} on_command={p.on_command.clone()} />
            }) }
            if !unscheduled.is_empty() {
                <article class="node unscheduled" aria-label="Pods not scheduled yet">
                    <header><h2>{ "Not scheduled" }</h2><span class="meta">{ "Pending: no node fits yet (see the FailedScheduling events)" }</span></header>
                    <ul class="pods">
                        { for unscheduled.iter().map(|pod| html! {
                            <PodTile key={pod.uid.clone()} pod={pod.clone()} compact={compact}
                                whole_name={pod.revision == 0} on_command={p.on_command.clone()} />
                        }) }
                    </ul>
                </article>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct NodeCardProps {
    pub node: NodeView,
    pub compact: bool,
    pub on_command: Callback<String>,
}

#[function_component(NodeCard)]
pub fn node_card(p: &NodeCardProps) -> Html {
    let n = &p.node;
    let run = |line: String| {
        let cb = p.on_command.clone();
        Callback::from(move |_: MouseEvent| cb.emit(line.clone()))
    };
    let power = if n.up {
        run(format!("kubesim node stop {}", n.name))
    } else {
        run(format!("kubesim node start {}", n.name))
    };
    let cordon = if n.cordoned {
        run(kubectl_line("default", &format!("uncordon {}", n.name)))
    } else {
        run(kubectl_line("default", &format!("cordon {}", n.name)))
    };
    let drain = run(kubectl_line(
        "default",
        &format!("drain {} --ignore-daemonsets", n.name),
    ));
    let state = if !n.up {
        "down"
    } else if !n.ready {
        "notready"
    } else {
        "up"
    };
    html! {
        <article class={classes!("node", state)} aria-label={format!("Node {}, {}", n.name, n.status)}>
            <header>
                <h2>{ format!("node/{}", n.name) }</h2>
                <span class={classes!("chip", if n.ready { "ok" } else { "bad" })}>{ n.status.clone() }</span>
                <span class="meta">{ format!("{} of {} pods", n.pods.len(), n.pod_capacity) }
                    if !n.up { { " · machine stopped" } }</span>
                <span class="actions" role="group" aria-label={format!("Actions on node {}", n.name)}>
                    <button onclick={power}>{ if n.up { "Stop node" } else { "Start node" } }</button>
                    <button onclick={cordon}>{ if n.cordoned { "Uncordon" } else { "Cordon" } }</button>
                    <button onclick={drain}>{ "Drain" }</button>
                </span>
            </header>
            <ul class="pods">
                { for n.pods.iter().map(|pod| html! {
                    // A pod of no ReplicaSet (revision 0) has no random suffix to tell it by.
                    <PodTile key={pod.uid.clone()} pod={pod.clone()} compact={p.compact}
                        whole_name={pod.revision == 0} on_command={p.on_command.clone()} />
                }) }
            </ul>
        </article>
    }
}
