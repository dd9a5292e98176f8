//! The object store: what the API server would hold. Objects are kept in maps ordered by
//! namespace and name, which is also the order `kubectl get` lists them in.

use crate::api::apps::{Deployment, ReplicaSet};
use crate::api::core::{Event, Namespace, Node, Pod, ResourceQuota};
use crate::api::endpoints::{EndpointSlice, Endpoints};
use crate::api::service::Service;
use std::collections::BTreeMap;

/// `(namespace, name)`.
pub type Key = (String, String);

pub fn key(ns: &str, name: &str) -> Key {
    (ns.to_string(), name.to_string())
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Store {
    pub namespaces: BTreeMap<String, Namespace>,
    pub deployments: BTreeMap<Key, Deployment>,
    pub replicasets: BTreeMap<Key, ReplicaSet>,
    pub pods: BTreeMap<Key, Pod>,
    pub nodes: BTreeMap<String, Node>,
    pub quotas: BTreeMap<Key, ResourceQuota>,
    pub services: BTreeMap<Key, Service>,
    pub endpoints: BTreeMap<Key, Endpoints>,
    pub endpoint_slices: BTreeMap<Key, EndpointSlice>,
    /// Events in the order they were first recorded.
    pub events: Vec<Event>,
    pub resource_version: u64,
    /// Every write of a pod, ReplicaSet or Deployment in order, kept only while a `get -w`
    /// reads them (a watch sees each change, not just where an object ended up); `None`
    /// when nobody watches.
    pub writes: Option<Vec<Write>>,
    /// Writes so far (counted whether or not they are kept): a watch reads those after the
    /// count it started at.
    pub write_count: u64,
}

/// An object as written, or as it was when it left the API.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    Pod(Pod),
    ReplicaSet(ReplicaSet),
    Deployment(Deployment),
}

/// One write, for the watches.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    /// Its place in [`Store::write_count`]'s count, from 1.
    pub seq: u64,
    pub object: Written,
    pub deleted: bool,
}

impl Store {
    /// Notes a write for the watches; `object` is copied only if a watch reads the log.
    pub fn written(&mut self, object: impl FnOnce(&Store) -> Option<Written>, deleted: bool) {
        self.write_count += 1;
        if self.writes.is_none() {
            return;
        }
        let seq = self.write_count;
        if let (Some(object), Some(log)) = (object(self), self.writes.as_mut()) {
            log.push(Write {
                seq,
                object,
                deleted,
            });
        }
    }

    pub fn pod_written(&mut self, pod: &Pod, deleted: bool) {
        self.written(|_| Some(Written::Pod(pod.clone())), deleted);
    }

    /// Notes the stored ReplicaSet at `k` as written.
    pub fn replicaset_written(&mut self, k: &Key) {
        self.written(
            |s| s.replicasets.get(k).cloned().map(Written::ReplicaSet),
            false,
        );
    }

    /// Notes the stored Deployment at `k` as written.
    pub fn deployment_written(&mut self, k: &Key) {
        self.written(
            |s| s.deployments.get(k).cloned().map(Written::Deployment),
            false,
        );
    }

    pub fn next_resource_version(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    pub fn pods_in<'a>(&'a self, ns: &'a str) -> impl Iterator<Item = &'a Pod> + 'a {
        self.pods
            .range(key(ns, "")..)
            .take_while(move |(k, _)| k.0 == ns)
            .map(|(_, p)| p)
    }

    pub fn replicasets_in<'a>(&'a self, ns: &'a str) -> impl Iterator<Item = &'a ReplicaSet> + 'a {
        self.replicasets
            .range(key(ns, "")..)
            .take_while(move |(k, _)| k.0 == ns)
            .map(|(_, r)| r)
    }

    /// ReplicaSets whose controller is the Deployment with this UID.
    pub fn replicasets_owned_by<'a>(
        &'a self,
        ns: &'a str,
        uid: &'a str,
    ) -> impl Iterator<Item = &'a ReplicaSet> + 'a {
        self.replicasets_in(ns)
            .filter(move |rs| rs.metadata.controller_ref().is_some_and(|o| o.uid == uid))
    }

    pub fn pods_owned_by<'a>(
        &'a self,
        ns: &'a str,
        uid: &'a str,
    ) -> impl Iterator<Item = &'a Pod> + 'a {
        self.pods_in(ns)
            .filter(move |p| p.metadata.controller_ref().is_some_and(|o| o.uid == uid))
    }

    /// The EndpointSlices the EndpointSlice controller manages for a Service, by name.
    pub fn slices_of_service<'a>(
        &'a self,
        ns: &'a str,
        service: &'a str,
    ) -> impl Iterator<Item = &'a EndpointSlice> + 'a {
        use crate::api::endpoints::LABEL_SERVICE_NAME;
        self.endpoint_slices
            .range(key(ns, "")..)
            .take_while(move |(k, _)| k.0 == ns)
            .map(|(_, s)| s)
            .filter(move |s| {
                s.metadata
                    .labels
                    .get(LABEL_SERVICE_NAME)
                    .map(String::as_str)
                    == Some(service)
            })
    }

    pub fn namespace_exists(&self, ns: &str) -> bool {
        self.namespaces.contains_key(ns)
    }

    /// The Deployment that owns a ReplicaSet, if it still exists.
    pub fn owner_deployment(&self, rs: &ReplicaSet) -> Option<&Deployment> {
        let owner = rs.metadata.controller_ref()?;
        self.deployments
            .get(&key(rs.metadata.ns(), &owner.name))
            .filter(|d| d.metadata.uid() == owner.uid)
    }
}
