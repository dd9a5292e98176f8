//! UI components, one per concept on screen.

pub mod cluster;
pub mod console;
pub mod edit;
pub mod editor;
pub mod events;
pub mod history;
pub mod lesson;
pub mod modal;
pub mod narration;
pub mod nodes;
pub mod rollout;
pub mod share;
pub mod traffic;
