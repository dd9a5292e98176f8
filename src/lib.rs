//! kubesim's web app: a Yew UI over the simulation engine. Components render the engine's
//! views and send it commands; they hold no cluster logic.

pub mod app;
pub mod components;
pub mod lessons;
pub mod markdown;
pub mod scenarios;
pub mod state;
pub mod storage;
pub mod url;

/// Mounts the app on the page's body.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
