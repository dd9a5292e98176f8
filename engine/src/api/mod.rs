//! The API surface: object types, defaulting, validation, template hashing, and the one
//! module that reads and writes YAML.

pub mod apps;
pub mod core;
pub mod defaults;
pub mod endpoints;
pub mod hash;
pub mod json;
pub mod kyaml;
pub mod labels;
pub mod merge;
pub mod meta;
pub mod schema;
pub mod service;
pub mod service_account;
pub mod validation;
pub mod yaml;
