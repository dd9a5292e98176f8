//! The browser side of persistence: the autosaved session in localStorage, and the one
//! confirmation the app asks for. Anything unreadable is reported, never trusted.

use kubesim::session::{Saved, MAX_SAVED_BYTES};
use wasm_bindgen::JsCast;

const KEY: &str = "kubesim.session";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The saved session: `Ok(None)` when there is none, `Err` when it cannot be read.
pub fn load() -> Result<Option<Saved>, String> {
    let Some(storage) = local_storage() else {
        return Ok(None);
    };
    match storage.get_item(KEY) {
        Ok(Some(text)) => Saved::from_yaml(&text).map(Some),
        _ => Ok(None),
    }
}

/// Saves the session; an error says why it could not be (too large, storage full or off).
pub fn save(saved: &Saved) -> Result<(), String> {
    let Some(storage) = local_storage() else {
        return Ok(());
    };
    let text = saved.to_yaml();
    if text.len() > MAX_SAVED_BYTES {
        return Err(format!(
            "This session ({} KB) is too large to autosave; download it from Share → Scenario file to keep it.",
            text.len() / 1024
        ));
    }
    storage.set_item(KEY, &text).map_err(|_| {
        "The browser refused to autosave this session (storage full or disabled).".to_string()
    })
}

/// Moves an unreadable saved session out of the way, keeping it for the curious.
pub fn set_aside() {
    if let Some(storage) = local_storage() {
        if let Ok(Some(text)) = storage.get_item(KEY) {
            let _ = storage.set_item(&format!("{KEY}.unreadable"), &text);
        }
        let _ = storage.remove_item(KEY);
    }
}

/// `1 later command`, `3 later commands`: a count and its noun, singular for one.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Asks before `action` (loading another scenario, restarting a lesson) replaces the
/// session's `work` (what the user did).
pub fn confirm_replace(action: &str, work: &str) -> bool {
    confirm(&format!(
        "{action}? It replaces the current session and its {work}."
    ))
}

/// Asks before acting from a past moment drops the later commands.
pub fn confirm_branch(dropped: usize) -> bool {
    confirm(&format!(
        "You are looking at an earlier moment. Acting now starts a new branch from here and drops the {}. Go on?",
        counted(dropped, "later command")
    ))
}

/// Asks before changes typed in the edit dialog are given up.
pub fn confirm_discard() -> bool {
    confirm("Discard your changes to this object?")
}

/// The browser's yes/no question; without a window (tests outside a page) the answer is yes.
fn confirm(message: &str) -> bool {
    match web_sys::window() {
        Some(window) => window.confirm_with_message(message).unwrap_or(false),
        None => true,
    }
}

/// Removes `#s=…` from the address once its state is loaded, so a reload restores the
/// autosave (with the user's changes) instead of the link's starting point.
pub fn forget_fragment() {
    replace_address(|search| search.to_string());
}

/// Points the address's `?scenario=` / `?lesson=` at the session now shown (a built-in entry
/// name, `lesson:NAME`, or none for a file), keeping the other parameters but the start time,
/// which belonged to the scenario the address first named.
pub fn show_entry_in_address(entry: Option<&str>) {
    replace_address(|search| {
        let mut params: Vec<String> = search
            .trim_start_matches('?')
            .split('&')
            .filter(|p| {
                let key = p.split('=').next().unwrap_or("");
                !p.is_empty() && !matches!(key, "scenario" | "lesson" | "t" | "start")
            })
            .map(str::to_string)
            .collect();
        if let Some(e) = entry {
            let param = match e.strip_prefix("lesson:") {
                Some(lesson) => format!("lesson={lesson}"),
                None => format!("scenario={e}"),
            };
            params.insert(0, param);
        }
        if params.is_empty() {
            String::new()
        } else {
            format!("?{}", params.join("&"))
        }
    });
}

/// Rewrites the address in place (no reload, no history entry) to the page's path with the
/// query `query` makes of the current one, and no fragment.
fn replace_address(query: impl FnOnce(&str) -> String) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let (Ok(history), Ok(path), Ok(search)) = (
        window.history(),
        window.location().pathname(),
        window.location().search(),
    ) else {
        return;
    };
    let _ = history.replace_state_with_url(
        &wasm_bindgen::JsValue::NULL,
        "",
        Some(&format!("{path}{}", query(&search))),
    );
}

/// The page's address without query and fragment: the base for links and embeds.
pub fn page_base() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// The address's query and fragment, as written.
pub fn page_address() -> (String, String) {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            (l.search().unwrap_or_default(), l.hash().unwrap_or_default())
        })
        .unwrap_or_default()
}

/// Puts text on the clipboard and then says whether it worked. Pages served over plain
/// http have no clipboard API, and a browser may refuse the write.
pub fn copy_text(text: &str, done: impl Fn(bool) + 'static) {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return done(false);
    };
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        return done(false);
    }
    let done = std::rc::Rc::new(done);
    let answer = |worked: bool| {
        let done = done.clone();
        wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| {
            done(worked)
        })
    };
    let (resolved, rejected) = (answer(true), answer(false));
    let _ = navigator
        .clipboard()
        .write_text(text)
        .then2(&resolved, &rejected);
    // One of the two runs once the promise settles; both must outlive this call.
    resolved.forget();
    rejected.forget();
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let href = format!(
        "data:application/yaml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(text))
    );
    let _ = a.set_attribute("href", &href);
    let _ = a.set_attribute("download", name);
    if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
        a.click();
    }
}

/// Reads a chosen file as text and hands it to `done` (or an error message).
pub fn read_file(file: web_sys::File, done: impl FnOnce(Result<String, String>) + 'static) {
    const MAX: f64 = 1_048_576.0;
    if file.size() > MAX {
        done(Err(format!(
            "{} is {} bytes; scenario files up to 1 MiB are read",
            file.name(),
            file.size()
        )));
        return;
    }
    let Ok(reader) = web_sys::FileReader::new() else {
        done(Err("this browser cannot read files".into()));
        return;
    };
    let r = reader.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let text = r.result().ok().and_then(|v| v.as_string());
        done(text.ok_or_else(|| "the file is not text".to_string()));
    });
    reader.set_onloadend(Some(onload.unchecked_ref()));
    let _ = reader.read_as_text(&file);
}

/// Saved progress of a lesson (`LessonProgress::to_text`), by the lesson's key.
pub fn load_lesson_progress(key: &str) -> Option<String> {
    local_storage()?
        .get_item(&format!("kubesim.lesson.{key}"))
        .ok()?
}

pub fn save_lesson_progress(key: &str, progress: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(&format!("kubesim.lesson.{key}"), progress);
    }
}
