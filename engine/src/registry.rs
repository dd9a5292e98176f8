//! The simulated container registry: which images exist, how big they are, and how the
//! program inside behaves once started (serves, crashes, never becomes ready, exits).
//!
//! A catalogue of common public images is built in; scenarios add their own. An image that
//! is not in the catalogue does not exist, so pulling it fails as it would on a real node.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Behaviour {
    /// Starts, serves after `start_seconds`, runs until stopped.
    Serve,
    /// Serves (if it gets that far) and exits with `exit_code` after `after_seconds`.
    Crash { after_seconds: f64, exit_code: i64 },
    /// Runs but never passes a readiness probe (answers 503).
    NeverReady,
    /// A shell-like image with nothing to do: exits 0 at once unless given a long-running command.
    Shell,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImageInfo {
    pub size_bytes: u64,
    /// Pull duration; `None` uses the cluster's default.
    pub pull_seconds: Option<f64>,
    /// From container start until the program accepts requests.
    pub start_seconds: f64,
    pub behaviour: Behaviour,
    /// Seconds the program needs to exit after SIGTERM; `None` ignores SIGTERM
    /// (killed after the grace period).
    pub shutdown_seconds: Option<f64>,
    /// Environment variables without which the program exits with an error at start.
    pub required_env: Vec<String>,
    /// Port the program listens on (probes against another port fail).
    pub port: Option<i64>,
    /// Lines the program writes to its log as it starts (a scenario's own image).
    pub log: Vec<String>,
}

impl ImageInfo {
    pub fn server(size_mb: u64, start_seconds: f64, port: i64) -> ImageInfo {
        ImageInfo {
            size_bytes: size_mb * 1_000_000 + size_mb * 1973 % 1_000_000,
            pull_seconds: None,
            start_seconds,
            behaviour: Behaviour::Serve,
            shutdown_seconds: Some(0.5),
            required_env: Vec::new(),
            port: Some(port),
            log: Vec::new(),
        }
    }
}

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImageRef {
    /// `docker.io/library/nginx`
    pub repository: String,
    /// `1.27`, or `latest` when none was given.
    pub tag: String,
    pub digest: Option<String>,
    /// Whether the reference named a tag (`nginx` alone did not).
    pub explicit_tag: bool,
}

impl ImageRef {
    pub fn parse(image: &str) -> Option<ImageRef> {
        let image = image.trim();
        if image.is_empty()
            || image.len() > 512
            || image.chars().any(|c| c.is_whitespace() || c.is_uppercase())
        {
            return None;
        }
        let (name, digest) = match image.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (image, None),
        };
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (repo, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
            None => (name, None),
        };
        if repo.is_empty() || tag.is_some_and(str::is_empty) {
            return None;
        }
        let first = repo.split('/').next().unwrap_or("");
        let has_registry = repo.contains('/')
            && (first.contains('.') || first.contains(':') || first == "localhost");
        let repository = if has_registry {
            repo.to_string()
        } else if repo.contains('/') {
            format!("docker.io/{repo}")
        } else {
            format!("docker.io/library/{repo}")
        };
        Some(ImageRef {
            repository,
            tag: tag.unwrap_or("latest").to_string(),
            digest,
            explicit_tag: tag.is_some(),
        })
    }

    /// The fully qualified name containerd reports: `docker.io/library/nginx:1.27`.
    pub fn full(&self) -> String {
        match &self.digest {
            Some(d) if !self.explicit_tag => format!("{}@{}", self.repository, d),
            _ => format!("{}:{}", self.repository, self.tag),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Registry {
    /// repository → tag → info
    images: BTreeMap<String, BTreeMap<String, ImageInfo>>,
}

pub enum Lookup<'a> {
    Found(&'a ImageInfo),
    NoSuchTag,
    NoSuchRepository,
}

impl Registry {
    /// The built-in catalogue of well-known images.
    pub fn builtin() -> Registry {
        let mut r = Registry::default();
        // Every nginx release from 1.10 to 1.29.3 has an image, tagged with its full version and with
        // its minor version; the Kubernetes documentation's own examples use 1.14.2, 1.16.1
        // and the older 1.7.9 (and 1.161, a typo that does not exist).
        let releases: [(u32, u32); 20] = [
            (10, 3),
            (11, 13),
            (12, 2),
            (13, 12),
            (14, 2),
            (15, 12),
            (16, 1),
            (17, 10),
            (18, 0),
            (19, 10),
            (20, 2),
            (21, 6),
            (22, 1),
            (23, 4),
            (24, 0),
            (25, 5),
            (26, 3),
            (27, 5),
            (28, 0),
            (29, 3),
        ];
        let mut nginx: Vec<String> = vec!["1.7.9".into()];
        for (minor, last_patch) in releases {
            nginx.push(format!("1.{minor}"));
            nginx.extend((0..=last_patch).map(|patch| format!("1.{minor}.{patch}")));
        }
        nginx.extend(
            [
                "stable",
                "mainline",
                "latest",
                "alpine",
                "1.27-alpine",
                "1.28-alpine",
            ]
            .map(String::from),
        );
        for t in &nginx {
            r.add(
                "nginx",
                t,
                ImageInfo::server(if t.contains("alpine") { 21 } else { 72 }, 0.5, 80),
            );
        }
        for t in ["2.4", "2.4.62", "2.4.63", "latest", "alpine"] {
            r.add("httpd", t, ImageInfo::server(58, 0.5, 80));
        }
        for t in ["7.2", "7.4", "8.0", "latest", "alpine"] {
            r.add("redis", t, ImageInfo::server(45, 1.0, 6379));
        }
        for t in ["15", "16", "17", "latest", "alpine"] {
            let mut i = ImageInfo::server(160, 4.0, 5432);
            i.required_env = vec!["POSTGRES_PASSWORD".into()];
            i.shutdown_seconds = Some(2.0);
            r.add("postgres", t, i);
        }
        for t in ["8.0", "8.4", "9.1", "latest"] {
            let mut i = ImageInfo::server(230, 8.0, 3306);
            i.required_env = vec!["MYSQL_ROOT_PASSWORD".into()];
            i.shutdown_seconds = Some(3.0);
            r.add("mysql", t, i);
        }
        for (repo, size) in [
            // The Kubernetes documentation's probe examples use this mirror.
            ("registry.k8s.io/busybox", 1),
            ("busybox", 2),
            ("alpine", 4),
            ("ubuntu", 29),
            ("debian", 48),
        ] {
            let tags: &[&str] = match repo {
                "busybox" => &["1.28", "1.35", "1.36", "1.36.1", "1.37", "latest"],
                "registry.k8s.io/busybox" => &["1.27.2", "latest"],
                "alpine" => &["3.20", "3.21", "3.22", "latest"],
                "ubuntu" => &["22.04", "24.04", "latest"],
                _ => &["bookworm", "12", "latest"],
            };
            for t in tags {
                r.add(
                    repo,
                    t,
                    ImageInfo {
                        behaviour: Behaviour::Shell,
                        shutdown_seconds: None,
                        port: None,
                        ..ImageInfo::server(size, 0.0, 0)
                    },
                );
            }
        }
        for t in ["2.39", "2.53", "2.54"] {
            r.add(
                "registry.k8s.io/e2e-test-images/agnhost",
                t,
                ImageInfo::server(53, 0.5, 8080),
            );
        }
        // The sample apps of the Kubernetes tutorials: Kubernetes Basics (bootcamp v1, its
        // v2 on Docker Hub; its v10 does not exist), Hello Minikube and the minikube handbook.
        for repo in [
            "gcr.io/google-samples/kubernetes-bootcamp",
            "gcr.io/k8s-minikube/kubernetes-bootcamp",
        ] {
            r.add(repo, "v1", ImageInfo::server(80, 0.5, 8080));
        }
        for t in ["v1", "v2"] {
            r.add(
                "jocatalin/kubernetes-bootcamp",
                t,
                ImageInfo::server(80, 0.5, 8080),
            );
        }
        for t in ["1.0", "2.0"] {
            r.add(
                "gcr.io/google-samples/hello-app",
                t,
                ImageInfo::server(4, 0.5, 8080),
            );
        }
        for repo in ["registry.k8s.io/echoserver", "k8s.gcr.io/echoserver"] {
            for t in ["1.4", "1.10"] {
                r.add(repo, t, ImageInfo::server(46, 0.5, 8080));
            }
        }
        r.add(
            "kicbase/echo-server",
            "1.0",
            ImageInfo::server(2, 0.5, 8080),
        );
        r.add(
            "registry.k8s.io/pause",
            "3.10",
            ImageInfo::server(1, 0.0, 0),
        );
        r
    }

    pub fn add(&mut self, repo: &str, tag: &str, info: ImageInfo) {
        let repository = ImageRef::parse(repo)
            .map(|r| r.repository)
            .unwrap_or_else(|| repo.to_string());
        self.images
            .entry(repository)
            .or_default()
            .insert(tag.to_string(), info);
    }

    pub fn lookup(&self, r: &ImageRef) -> Lookup<'_> {
        match self.images.get(&r.repository) {
            None => Lookup::NoSuchRepository,
            Some(tags) => match tags.get(&r.tag) {
                Some(i) => Lookup::Found(i),
                // A digest of a known repository is accepted: it names content, not a tag.
                None if r.digest.is_some() && !r.explicit_tag => tags
                    .get("latest")
                    .or_else(|| tags.values().next())
                    .map_or(Lookup::NoSuchTag, Lookup::Found),
                None => Lookup::NoSuchTag,
            },
        }
    }

    /// `image:tag` strings for completion and the UI's image picker.
    pub fn known_images(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (repo, tags) in &self.images {
            let short = repo
                .strip_prefix("docker.io/library/")
                .or_else(|| repo.strip_prefix("docker.io/"))
                .unwrap_or(repo);
            for t in tags.keys() {
                out.push(format!("{short}:{t}"));
            }
        }
        out
    }

    pub fn tags_of(&self, repository: &str) -> Vec<String> {
        self.images
            .get(repository)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalise_like_containerd() {
        let r = ImageRef::parse("nginx").unwrap();
        assert_eq!(r.full(), "docker.io/library/nginx:latest");
        assert!(!r.explicit_tag);
        assert_eq!(
            ImageRef::parse("nginx:1.27").unwrap().full(),
            "docker.io/library/nginx:1.27"
        );
        assert_eq!(
            ImageRef::parse("bitnami/redis:7").unwrap().full(),
            "docker.io/bitnami/redis:7"
        );
        assert_eq!(
            ImageRef::parse("registry.k8s.io/pause:3.10")
                .unwrap()
                .full(),
            "registry.k8s.io/pause:3.10"
        );
        assert_eq!(
            ImageRef::parse("localhost:5000/app").unwrap().full(),
            "localhost:5000/app:latest"
        );
        assert!(ImageRef::parse("nginx:").is_none());
        assert!(ImageRef::parse("NGINX").is_none());
        assert!(ImageRef::parse("").is_none());
    }

    #[test]
    fn lookups_tell_missing_tag_from_missing_repository() {
        let reg = Registry::builtin();
        assert!(matches!(
            reg.lookup(&ImageRef::parse("nginx:1.27").unwrap()),
            Lookup::Found(_)
        ));
        assert!(matches!(
            reg.lookup(&ImageRef::parse("nginx:1.2x").unwrap()),
            Lookup::NoSuchTag
        ));
        assert!(matches!(
            reg.lookup(&ImageRef::parse("myapp:1.0").unwrap()),
            Lookup::NoSuchRepository
        ));
    }
}
