//! Component tests in headless Chromium of a pod tile and a ReplicaSet group, of reading the
//! page's address (embed options and share fragments), and of lesson text rendering.

use kubesim::view::{PodView, ReplicaSetView};
use kubesim_web::components::cluster::{
    PodTile, PodTileProps, ReplicaSetGroup, ReplicaSetGroupProps, Tiles,
};
use kubesim_web::markdown;
use kubesim_web::url::{self, Panels, Theme};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn root() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

fn pod(name: &str, status: &str, phase: &'static str, ready: bool) -> PodView {
    PodView {
        namespace: "default".into(),
        name: name.into(),
        uid: format!("uid-{name}"),
        status: status.into(),
        ready_text: if ready { "1/1" } else { "0/1" }.into(),
        ready,
        available: ready,
        restarts: 0,
        node: Some("node-1".into()),
        terminating: status == "Terminating",
        phase,
        revision: 2,
    }
}

async fn mount_tile(p: PodView, compact: bool) -> (Element, Rc<RefCell<Vec<String>>>) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s = seen.clone();
    let root = root();
    yew::Renderer::<PodTile>::with_root_and_props(
        root.clone(),
        PodTileProps {
            pod: p,
            compact,
            whole_name: false,
            on_command: Callback::from(move |l: String| s.borrow_mut().push(l)),
        },
    )
    .render();
    yew::scheduler::flush().await;
    (root, seen)
}

fn button(root: &Element) -> HtmlElement {
    root.query_selector("li.pod button")
        .unwrap()
        .expect("a pod button")
        .dyn_into()
        .unwrap()
}

#[wasm_bindgen_test]
async fn a_pod_tile_names_the_pod_its_status_and_readiness() {
    let (root, _) = mount_tile(pod("web-7d4b9c8f5d-x2k9p", "Running", "ready", true), false).await;
    let b = button(&root);
    assert_eq!(
        b.get_attribute("aria-label").unwrap(),
        "Pod web-7d4b9c8f5d-x2k9p, Running, Ready"
    );
    let li = root.query_selector("li.pod").unwrap().unwrap();
    let classes = li.class_name();
    let classes: Vec<&str> = classes.split_whitespace().collect();
    assert!(classes.contains(&"ready"), "{classes:?}");
    assert!(
        classes.contains(&"rev-2"),
        "revision colour class: {classes:?}"
    );
    assert_eq!(
        li.get_attribute("data-name").unwrap(),
        "web-7d4b9c8f5d-x2k9p"
    );
    // The tile shows the name's random suffix and the status, not only a colour.
    let text = b.text_content().unwrap();
    assert!(text.contains("x2k9p") && text.contains("Running"), "{text}");
}

#[wasm_bindgen_test]
async fn clicking_a_pod_deletes_it_with_kubectl() {
    let (root, seen) = mount_tile(pod("web-abc-x2k9p", "Running", "ready", true), false).await;
    button(&root).click();
    assert_eq!(
        *seen.borrow(),
        vec!["kubectl delete pod web-abc-x2k9p".to_string()]
    );

    let mut other = pod("api-abc-q7w8e", "ImagePullBackOff", "failing", false);
    other.namespace = "shop".into();
    other.restarts = 3;
    let (root, seen) = mount_tile(other, false).await;
    let b = button(&root);
    assert_eq!(
        b.get_attribute("aria-label").unwrap(),
        "Pod api-abc-q7w8e, ImagePullBackOff, Not ready, 3 restarts"
    );
    b.click();
    assert_eq!(
        *seen.borrow(),
        vec!["kubectl delete pod api-abc-q7w8e -n shop".to_string()]
    );
}

#[wasm_bindgen_test]
async fn a_terminating_pod_cannot_be_deleted_again_and_compact_tiles_keep_their_name() {
    let (root, seen) = mount_tile(
        pod("web-abc-zzzzz", "Terminating", "terminating", false),
        false,
    )
    .await;
    let b = button(&root);
    // Disabled for assistive technology, yet focusable: a tile just clicked keeps the focus.
    assert_eq!(b.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert!(!b.has_attribute("disabled"));
    b.click();
    assert!(seen.borrow().is_empty());

    // Deleted pods are Terminating, in the tile as in kubectl.
    assert!(b.text_content().unwrap().contains("Terminating"));

    let (root, _) = mount_tile(pod("web-abc-yyyyy", "Pending", "pending", false), true).await;
    let b = button(&root);
    assert_eq!(b.text_content().unwrap(), "", "compact tiles have no text");
    assert_eq!(
        b.get_attribute("aria-label").unwrap(),
        "Pod web-abc-yyyyy, Pending, Not ready"
    );
}

#[wasm_bindgen_test]
async fn a_replicaset_group_is_labelled_with_name_revision_and_ready_count() {
    let root = root();
    let rs = ReplicaSetView {
        namespace: "default".into(),
        name: "web-69bd887d84".into(),
        hash: "69bd887d84".into(),
        revision: 2,
        images: vec!["nginx:1.28".into()],
        desired: 3,
        current: 2,
        ready: 1,
        available: 1,
        is_new: true,
        pods: vec![
            pod("web-69bd887d84-aaaaa", "Running", "ready", true),
            pod(
                "web-69bd887d84-bbbbb",
                "ContainerCreating",
                "creating",
                false,
            ),
        ],
    };
    yew::Renderer::<ReplicaSetGroup>::with_root_and_props(
        root.clone(),
        ReplicaSetGroupProps {
            namespace: "default".into(),
            rs,
            compact: false,
            on_command: Callback::noop(),
        },
    )
    .render();
    yew::scheduler::flush().await;
    let section = root.query_selector("section.replicaset").unwrap().unwrap();
    assert_eq!(
        section.get_attribute("aria-label").unwrap(),
        "ReplicaSet web-69bd887d84, revision 2, 1 of 3 ready"
    );
    assert!(section.text_content().unwrap().contains("rev 2"));
    assert_eq!(root.query_selector_all("li.pod").unwrap().length(), 2);
}

#[wasm_bindgen_test]
fn the_address_selects_panels_and_options() {
    let (o, warnings) = url::parse(
        "?embed=1&panels=cluster,console&scenario=rolling-defaults&autoplay=0&t=30&speed=2&theme=dark&readonly&captions=1",
        "#s=1.abc",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(o.embed && o.readonly && o.captions);
    assert_eq!(
        o.panels,
        Panels {
            cluster: true,
            console: true,
            nodes: false,
            rollout: false,
            yaml: false,
            events: false,
            traffic: false,
        }
    );
    assert_eq!(o.scenario.as_deref(), Some("rolling-defaults"));
    assert_eq!(
        (o.autoplay, o.start, o.speed),
        (Some(false), Some(30.0), Some(2.0))
    );
    assert_eq!(o.theme, Some(Theme::Dark));
    assert_eq!(o.share.as_deref(), Some("s=1.abc"));
    assert_eq!(o.panels.to_param(), "cluster,console");
}

#[wasm_bindgen_test]
fn hostile_or_wrong_parameters_become_warnings() {
    let (o, warnings) = url::parse(
        "?speed=1000&t=-5&panels=<script>&scenario=../../etc&theme=neon&zzz=1&autoplay=maybe",
        "",
    );
    assert_eq!(o, url::Options::default());
    assert_eq!(warnings.len(), 7, "{warnings:?}");
    assert!(warnings
        .iter()
        .any(|w| w.contains("unknown panel `<script>`")));
    let (o, warnings) = url::parse("?embed=2&readonly=perhaps&captions=x&speed=3.5", "");
    assert!(!o.embed && !o.readonly && !o.captions);
    assert_eq!(o.speed, Some(4.0), "the nearest speed the menu offers");
    assert_eq!(
        warnings,
        [
            "ignored `embed=2`",
            "ignored `readonly=perhaps`",
            "ignored `captions=x`",
            "`speed=3.5` is not one of the speeds offered; using 4×"
        ]
    );
    // A start past the end of a session is cut there, and said.
    let (o, warnings) = url::parse("?t=86400", "");
    assert_eq!(o.start, Some(21_600.0));
    assert_eq!(
        warnings,
        ["`t=86400` is past the end of a session; starting at 21600 s"]
    );
    // A lesson opens its own cluster: a scenario beside it is named as ignored.
    let (o, warnings) = url::parse("?scenario=scaling&lesson=first-deployment", "");
    assert_eq!(o.scenario, None);
    assert_eq!(o.lesson.as_deref(), Some("first-deployment"));
    assert_eq!(
        warnings,
        ["ignored `scenario=scaling`: the lesson brings its own cluster"]
    );
    let (_, warnings) = url::parse(&format!("?scenario={}", "a".repeat(5000)), "");
    assert_eq!(
        warnings,
        vec!["ignored the over-long `scenario` parameter".to_string()]
    );
    // Percent escapes decode; a broken one stays as written and is refused, not a panic.
    let (o, _) = url::parse("?panels=cluster%2Cevents", "");
    assert!(o.panels.cluster && o.panels.events && !o.panels.console);
    let (o, w) = url::parse("?scenario=%E2%82%AC%ZZ%", "");
    assert_eq!(o.scenario, None);
    assert_eq!(w.len(), 1);
}

#[derive(yew::Properties, PartialEq)]
struct TextProps {
    text: String,
}

#[yew::function_component(Markdown)]
fn markdown_view(p: &TextProps) -> yew::Html {
    markdown::render(&p.text)
}

async fn render_markdown(text: &str) -> Element {
    let root = root();
    yew::Renderer::<Markdown>::with_root_and_props(root.clone(), TextProps { text: text.into() })
        .render();
    yew::scheduler::flush().await;
    root
}

#[wasm_bindgen_test]
async fn lesson_markdown_renders_blocks_and_spans() {
    let root = render_markdown(
        "## Scale up\n\nRun `kubectl scale` and watch **both** limits.\nIt is *quick*.\n\n- one\n- two `x`\n\n1. first\n2. second\n\n```\nkubectl get rs\n```\nSee [the docs](https://kubernetes.io/docs/).",
    )
    .await;
    let html = root.inner_html();
    assert!(html.contains("<h4>Scale up</h4>"), "{html}");
    assert!(html.contains("<p>Run <code>kubectl scale</code> and watch <strong>both</strong> limits. It is <em>quick</em>.</p>"), "{html}");
    assert!(
        html.contains("<ul><li>one</li><li>two <code>x</code></li></ul>"),
        "{html}"
    );
    assert!(
        html.contains("<ol><li>first</li><li>second</li></ol>"),
        "{html}"
    );
    assert!(
        html.contains("<pre><code>kubectl get rs</code></pre>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://kubernetes.io/docs/\""),
        "{html}"
    );
}

#[wasm_bindgen_test]
async fn lesson_markdown_never_makes_markup_from_text() {
    let root = render_markdown(
        "<img src=x onerror=alert(1)> [click](javascript:alert(1)) `<b>code</b>` pod_template_hash",
    )
    .await;
    assert_eq!(root.query_selector_all("img, b, a").unwrap().length(), 0);
    let text = root.text_content().unwrap();
    assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    assert!(
        text.contains("click") && !text.contains("javascript"),
        "{text}"
    );
    assert!(text.contains("pod_template_hash"), "{text}");
}

#[wasm_bindgen_test]
fn tiles_stop_moving_above_a_hundred_pods_and_shrink_above_three_hundred() {
    let names = |total: usize, active: usize| Tiles { total, active }.density().to_string();
    assert_eq!(names(3, 3), "");
    assert_eq!(names(100, 100), "");
    assert_eq!(names(101, 101), "still");
    assert_eq!(names(300, 300), "still");
    assert_eq!(names(301, 301), "still compact");
}

#[wasm_bindgen_test]
fn terminating_pods_count_only_when_all_tiles_are_more_than_twice_the_limit() {
    let names = |total: usize, active: usize| Tiles { total, active }.density().to_string();
    // A 200-replica rolling update at its widest: 250 pods up, 100 terminating.
    assert_eq!(names(350, 250), "still");
    // 80 replicas rolling: the retired pods do not stop the tiles' motion.
    assert_eq!(names(140, 100), "");
    assert_eq!(names(200, 50), "");
    assert_eq!(names(201, 50), "still");
    // A scale-down from 2,000: the terminating pods stay small squares.
    assert_eq!(names(2000, 10), "still compact");
    assert_eq!(names(601, 0), "still compact");
    assert_eq!(names(600, 0), "still");
}

#[wasm_bindgen_test]
fn tiles_count_the_pods_that_are_not_terminating() {
    let pods = [
        pod("web-1", "Running", "ready", true),
        pod("web-2", "Terminating", "terminating", false),
        pod("web-3", "Pending", "pending", false),
    ];
    assert_eq!(
        Tiles::count(&pods),
        Tiles {
            total: 3,
            active: 2
        }
    );
}

#[wasm_bindgen_test]
async fn a_pod_on_a_node_that_stopped_reporting_shows_unknown() {
    // The API still says Running, as the kubelet last wrote; the tile says what is known.
    let (root, _) = mount_tile(pod("web-abc-x2k9p", "Running", "lost", true), false).await;
    let b = button(&root);
    assert_eq!(
        b.get_attribute("aria-label").unwrap(),
        "Pod web-abc-x2k9p, Unknown (node-1 not reporting), Ready"
    );
    let text = b.text_content().unwrap();
    assert!(
        text.contains("Unknown") && !text.contains("Running"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn the_node_view_shows_why_lost_nodes_keep_their_pods() {
    use kubesim::view::{ClusterView, NodeView};
    use kubesim_web::components::nodes::{NodesPanel, NodesPanelProps};
    let node = |name: &str, ready: bool| NodeView {
        name: name.into(),
        status: if ready { "Ready" } else { "NotReady" }.into(),
        ready,
        up: ready,
        cordoned: false,
        pod_capacity: 110,
        pods: vec![pod(&format!("web-{name}"), "Running", "lost", true)],
    };
    let notice = "Every node is NotReady: the node controller evicts no pod.";
    let root = root();
    yew::Renderer::<NodesPanel>::with_root_and_props(
        root.clone(),
        NodesPanelProps {
            cluster: Rc::new(ClusterView {
                now: kubesim::Time(0),
                deployments: Vec::new(),
                replicasets: Vec::new(),
                pods: Vec::new(),
                nodes: vec![node("node-1", false), node("node-2", false)],
                node_notice: Some(notice.into()),
            }),
            on_command: Callback::noop(),
        },
    )
    .render();
    yew::scheduler::flush().await;
    let shown = root.query_selector(".node-notice[role=status]").unwrap();
    assert_eq!(
        shown.and_then(|e| e.text_content()),
        Some(notice.to_string())
    );
}

#[wasm_bindgen_test]
async fn a_pod_of_a_long_named_deployment_shows_its_random_suffix() {
    // kubectl's generated names keep 58 characters of the owner's name, then five random ones.
    let name = format!("{}{}", "a".repeat(58), "q7w8e");
    let (root, _) = mount_tile(pod(&name, "Running", "ready", true), false).await;
    let text = button(&root).text_content().unwrap();
    assert!(text.starts_with("q7w8e"), "{text}");
}

#[wasm_bindgen_test]
fn an_embed_address_says_whether_to_play_on_load() {
    // A shared state opens paused unless the address asks to play, so both answers are written.
    let panels = url::parse("?panels=cluster", "").0.panels;
    for play in [true, false] {
        let query = url::embed_query(panels, play, 1.0, false, false);
        let (o, warnings) = url::parse(&query, "#s=1.abc");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(o.autoplay, Some(play), "{query}");
        assert!(!o.captions);
    }
    // Captions are asked for only when ticked.
    let query = url::embed_query(panels, true, 1.0, false, true);
    assert!(query.ends_with("&captions=1"), "{query}");
    assert!(url::parse(&query, "").0.captions);
}

/// A Deployment card from a real simulated cluster, with the kubectl lines its buttons send.
async fn mount_cluster(replicas: i64, paused: bool) -> (Element, Rc<RefCell<Vec<String>>>) {
    mount_manifest(format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: {replicas}\n  paused: {paused}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers: [{{name: web, image: 'nginx:1.27'}}]\n"
    ))
    .await
}

/// The cluster view of a cluster where `manifest` was applied 5 s ago.
async fn mount_manifest(manifest: String) -> (Element, Rc<RefCell<Vec<String>>>) {
    use kubesim::cluster::ClusterConfig;
    let mut sim = kubesim::Sim::new(ClusterConfig::default(), 1);
    sim.files.insert("web.yaml".into(), manifest);
    mount_after(sim, &["kubectl apply -f web.yaml"]).await
}

/// The cluster view 5 s after `lines` ran, with the kubectl lines its buttons send.
async fn mount_after(mut sim: kubesim::Sim, lines: &[&str]) -> (Element, Rc<RefCell<Vec<String>>>) {
    use kubesim_web::components::cluster::{ClusterPanel, ClusterPanelProps};
    for line in lines {
        let out = sim.execute(&kubesim::Command::Kubectl(line.to_string()));
        assert_eq!(out.exit_code, 0, "{line}: {}", out.stderr);
    }
    sim.advance_to(kubesim::Time(5_000));
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s = seen.clone();
    let root = root();
    yew::Renderer::<ClusterPanel>::with_root_and_props(
        root.clone(),
        ClusterPanelProps {
            cluster: Rc::new(kubesim::view::cluster(&sim)),
            selected: None,
            on_command: Callback::from(move |l: String| s.borrow_mut().push(l)),
            on_select: Callback::noop(),
        },
    )
    .render();
    yew::scheduler::flush().await;
    (root, seen)
}

fn labelled(root: &Element, label: &str) -> HtmlElement {
    root.query_selector(&format!("button[aria-label=\"{label}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("a button labelled {label}"))
        .dyn_into()
        .unwrap()
}

#[wasm_bindgen_test]
async fn scaling_down_stops_at_zero_and_keeps_the_focus() {
    let (root, seen) = mount_cluster(1, false).await;
    labelled(&root, "Scale web down to 0").click();
    assert_eq!(
        *seen.borrow(),
        vec!["kubectl scale deployment/web --replicas=0".to_string()]
    );
    let (root, seen) = mount_cluster(0, false).await;
    let down = labelled(&root, "Scale web down to 0");
    // aria-disabled, not disabled: the button keeps the focus a click gave it.
    assert_eq!(down.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert!(!down.has_attribute("disabled"));
    down.focus().unwrap();
    down.click();
    assert!(seen.borrow().is_empty(), "{:?}", seen.borrow());
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element();
    assert_eq!(active.as_ref(), Some(down.as_ref()));
}

#[wasm_bindgen_test]
async fn a_paused_rollout_is_a_warning_not_a_fault() {
    let (root, _) = mount_cluster(2, true).await;
    let chips: Vec<(String, String)> = {
        let list = root.query_selector_all(".chip").unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .map(|c| (c.class_name(), c.text_content().unwrap_or_default()))
            .collect()
    };
    assert!(
        chips.contains(&("chip warn".into(), "Progressing: DeploymentPaused".into())),
        "{chips:?}"
    );
    // A Deployment created paused has no pods, so Available is False: that one is a fault.
    assert!(
        chips.contains(&(
            "chip bad".into(),
            "Available: MinimumReplicasUnavailable".into()
        )),
        "{chips:?}"
    );
}

#[wasm_bindgen_test]
async fn a_pod_without_a_controller_shows_under_its_whole_name() {
    let (root, seen) = mount_manifest(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: myapp-pod}\nspec:\n  containers: [{name: app, image: 'busybox:1.36', command: [sleep, '3600']}]\n"
            .into(),
    )
    .await;
    let card = root
        .query_selector("article[aria-label=\"Not managed by a Deployment\"] section[aria-label=\"Pods without a controller\"]")
        .unwrap()
        .expect("a group for pods without a controller");
    let name = card.query_selector(".pod-name").unwrap().unwrap();
    assert_eq!(name.text_content().as_deref(), Some("myapp-pod"));
    assert!(root.query_selector(".empty").unwrap().is_none());
    button(&card).click();
    assert_eq!(
        *seen.borrow(),
        vec!["kubectl delete pod myapp-pod".to_string()]
    );
}

#[wasm_bindgen_test]
async fn an_orphaned_replicaset_keeps_its_pods_in_view() {
    let sim = kubesim::Sim::new(kubesim::cluster::ClusterConfig::default(), 1);
    let (root, _) = mount_after(
        sim,
        &[
            "kubectl create deployment web --image=nginx:1.27 --replicas=2",
            "kubectl delete deployment web --cascade=orphan",
        ],
    )
    .await;
    let card = root
        .query_selector("article[aria-label=\"Not managed by a Deployment\"]")
        .unwrap()
        .expect("a card for what no Deployment manages");
    let group = card
        .query_selector("section.replicaset")
        .unwrap()
        .expect("the orphaned ReplicaSet");
    assert!(
        group
            .get_attribute("aria-label")
            .is_some_and(|l| l.starts_with("ReplicaSet web-")),
        "{:?}",
        group.get_attribute("aria-label")
    );
    assert_eq!(group.query_selector_all("li.pod").unwrap().length(), 2);
    assert!(root.query_selector(".empty").unwrap().is_none());
}
