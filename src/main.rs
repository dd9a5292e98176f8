//! The web app's entry point (trunk builds this binary to WebAssembly).

fn main() {
    kubesim_web::start();
}
