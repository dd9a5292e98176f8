//! The shell's HTTP clients: busybox `wget` and `curl`, with the options courses use, what
//! they print and their exit statuses. The answers come from a [`Network`]: the cluster's,
//! for a command `kubectl exec` runs. A container's own process has none (its run is worked
//! out ahead of time, when the cluster it would reach is not yet known), so there both
//! programs run without a visible effect, like every command the shell does not know.

use super::{append, Flow, Shell, MAX_FILES, MAX_VALUE};
use crate::time::Time;

/// What a command's HTTP request reaches.
pub trait Network {
    /// Whether the container's image has the program (`wget`, `curl`).
    fn has(&self, program: &str) -> bool;
    /// Sends a request for `url` (without its body when `head`); `n` numbers the requests
    /// of one command, for kube-proxy's random choice of an endpoint.
    fn get(&self, url: &Url, head: bool, n: u64) -> Result<Reply, NetError>;
    /// Whether `wget` and `curl` reach anything (a container's own process sends nothing).
    fn sends_requests(&self) -> bool {
        true
    }
    /// The moment the program asks: the DNS answers as it did then.
    fn moment(&self, _t: Time) {}
    /// Whether the command's output is a terminal (`kubectl exec -t`).
    fn terminal(&self) -> bool {
        false
    }
    /// Whether the image's `nslookup` is busybox's before 1.29, which asked libc and
    /// printed its answer its own way.
    fn legacy_nslookup(&self) -> bool {
        false
    }
    /// Whether a DNS server answers at this address.
    fn dns_server(&self, _ip: &str) -> bool {
        false
    }
    /// The cluster DNS's A records for a fully qualified name (no final dot): `None` for a
    /// name that does not exist (NXDOMAIN), no records for one without addresses.
    fn resolve(&self, _fqdn: &str) -> Option<Vec<String>> {
        None
    }
    /// The name a reverse (PTR) lookup of an address gives.
    fn reverse(&self, _ip: &str) -> Option<String> {
        None
    }
    /// The canonical name a fully qualified name is an alias of (an ExternalName
    /// Service's CNAME record).
    fn alias(&self, _fqdn: &str) -> Option<String> {
        None
    }
}

/// `http://host:port/path`, as the programs split a URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Url {
    pub scheme: String,
    pub host: String,
    pub port: i64,
    /// Whether the URL names its port (`host:port` is printed then).
    pub explicit_port: bool,
    pub path: String,
}

impl Url {
    /// `None` for a URL no client would send (no host, a port that is not a number).
    pub fn parse(text: &str) -> Option<Url> {
        let (scheme, rest) = match text.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => ("http".to_string(), text),
        };
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let authority = authority.rsplit('@').next().unwrap_or("");
        // `[::1]:8080`: the brackets hold an IPv6 address, whose colons are not a port.
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => match v6.split_once(']') {
                Some((h, rest)) => (h, rest.strip_prefix(':')),
                None => return None,
            },
            None => match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            },
        };
        if host.is_empty() {
            return None;
        }
        let default = if scheme == "https" { 443 } else { 80 };
        let port_given = port.is_some();
        let port = match port {
            Some(p) => p.parse::<i64>().ok().filter(|p| (1..=65535).contains(p))?,
            None => default,
        };
        let path = if path.starts_with('/') {
            path.split('#').next().unwrap_or("/").to_string()
        } else {
            format!("/{}", path.split('#').next().unwrap_or(""))
        };
        Some(Url {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            explicit_port: port_given,
            path,
        })
    }

    /// `host` or `host:port`, as the URL gave it (the `Host` header, wget's messages).
    pub fn authority(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.explicit_port {
            format!("{host}:{}", self.port)
        } else {
            host
        }
    }
}

/// An HTTP answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The address connected to, `10.96.0.12`.
    pub ip: String,
    pub status: u16,
    pub reason: &'static str,
    /// Response headers after the status line, in order.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Why a request got no HTTP answer.
#[derive(Debug, Clone, PartialEq)]
pub enum NetError {
    /// The name does not resolve.
    NoHost,
    /// Nothing listens at the address (`ip`): the connection is refused.
    Refused(String),
    /// Nothing answers at all: the connection times out.
    TimedOut(String),
    /// Something listens but does not speak HTTP: it closes the connection.
    NotHttp(String),
}

/// busybox's usage line of `wget`.
const WGET_USAGE: &str = "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n";

/// The curl version the nginx images ship (Debian bookworm's), as `User-Agent` says.
const CURL_AGENT: &str = "curl/7.88.1";

#[derive(Default)]
struct WgetOptions {
    quiet: bool,
    headers: bool,
    spider: bool,
    output: Option<String>,
}

#[derive(Default)]
struct CurlOptions {
    silent: bool,
    show_error: bool,
    include: bool,
    head: bool,
    fail: bool,
    verbose: bool,
    output: Option<String>,
    remote_name: bool,
    write_out: Option<String>,
}

fn status_line(r: &Reply) -> String {
    format!("HTTP/1.1 {} {}", r.status, r.reason)
}

impl<'a> Shell<'a> {
    /// The network `program` reaches, as it is at this moment of the process; or how the
    /// command ends without one: silently where nothing is sent (a request from a
    /// container's own process), as "not found" in an image without the program (busybox
    /// ash's wording).
    pub(super) fn reach(&mut self, program: &str) -> Result<&'a dyn Network, Flow> {
        let net = self.net.ok_or(Flow::Normal)?;
        if !net.has(program) {
            self.print_err(&format!("sh: {program}: not found\n"));
            self.status = 127;
            return Err(Flow::Normal);
        }
        if program != "nslookup" && !net.sends_requests() {
            return Err(Flow::Normal);
        }
        self.reads.borrow_mut().network = true;
        net.moment(self.started.plus_ms(self.clock));
        Ok(net)
    }

    /// Writes a downloaded body to a file, as far as files are kept.
    fn save(&mut self, path: &str, body: &str) {
        if path == "/dev/null" {
            return;
        }
        if self.files.len() >= MAX_FILES && !self.files.contains_key(path) {
            return;
        }
        self.charge(body.len());
        let file = self.files.entry(path.to_string()).or_default();
        file.clear();
        append(file, body);
    }

    /// busybox `wget`.
    pub(super) fn wget(&mut self, args: &[String]) -> Flow {
        let net = match self.reach("wget") {
            Ok(net) => net,
            Err(flow) => return flow,
        };
        let mut o = WgetOptions::default();
        let mut urls = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--spider" => o.spider = true,
                "--quiet" => o.quiet = true,
                "--server-response" => o.headers = true,
                "--no-check-certificate" => {}
                "--output-document" | "--timeout" | "--header" | "--user-agent" | "-o" => {
                    let v = it.next().cloned();
                    if a == "--output-document" {
                        o.output = v;
                    }
                }
                long if long.starts_with("--") => match long.split_once('=') {
                    Some(("--output-document", v)) => o.output = Some(v.to_string()),
                    Some(("--timeout" | "--header" | "--user-agent", _)) => {}
                    _ => {
                        self.print_err(&format!(
                            "wget: unrecognized option '{long}'\n{WGET_USAGE}"
                        ));
                        self.status = 1;
                        return Flow::Normal;
                    }
                },
                short if short.starts_with('-') && short.len() > 1 => {
                    for (c, v) in short_options(short, "OTUYPo", &mut it) {
                        match c {
                            'q' => o.quiet = true,
                            'S' => o.headers = true,
                            'O' => o.output = v,
                            'c' | 'T' | 'U' | 'Y' | 'P' | 'o' => {}
                            other => {
                                self.print_err(&format!(
                                    "wget: invalid option -- '{other}'\n{WGET_USAGE}"
                                ));
                                self.status = 1;
                                return Flow::Normal;
                            }
                        }
                    }
                }
                url => urls.push(url.to_string()),
            }
        }
        if urls.is_empty() {
            self.print_err(WGET_USAGE);
            self.status = 1;
            return Flow::Normal;
        }
        for text in urls {
            if !self.step() {
                return Flow::Stop;
            }
            if let Err(message) = self.wget_one(net, &o, &text) {
                self.print_err(&format!("wget: {message}\n"));
                self.status = 1;
                return Flow::Normal;
            }
        }
        Flow::Normal
    }

    fn wget_one(&mut self, net: &dyn Network, o: &WgetOptions, text: &str) -> Result<(), String> {
        let url = Url::parse(text).ok_or_else(|| format!("bad address '{text}'"))?;
        if url.scheme != "http" && url.scheme != "https" {
            return Err(format!("not an http or ftp url: {text}"));
        }
        let file = match o.output.as_deref() {
            Some(f) => f.to_string(),
            None => match url.path.rsplit('/').next().filter(|s| !s.is_empty()) {
                Some(name) => name.split('?').next().unwrap_or(name).to_string(),
                None => "index.html".to_string(),
            },
        };
        self.requests += 1;
        let reply = match net.get(&url, o.spider, self.requests) {
            Ok(r) => r,
            Err(NetError::NoHost) => return Err(format!("bad address '{}'", url.authority())),
            Err(NetError::Refused(ip)) => {
                return Err(format!(
                    "can't connect to remote host ({ip}): Connection refused"
                ))
            }
            // Linux gives up a connection after about two minutes, before wget's own
            // 900 s timeout.
            Err(NetError::TimedOut(ip)) => {
                return Err(format!(
                    "can't connect to remote host ({ip}): Connection timed out"
                ))
            }
            Err(NetError::NotHttp(_)) => {
                return Err("error getting response: Connection reset by peer".into())
            }
        };
        if !o.quiet {
            self.print_err(&format!(
                "Connecting to {} ({}:{})\n",
                url.authority(),
                reply.ip,
                url.port
            ));
        }
        if o.headers {
            let mut text = format!("  {}\n", status_line(&reply));
            for (k, v) in &reply.headers {
                text.push_str(&format!("  {k}: {v}\n"));
            }
            self.print_err(&text);
        }
        if reply.status >= 400 {
            return Err(format!("server returned error: {}", status_line(&reply)));
        }
        if o.spider {
            if !o.quiet {
                self.print_err("remote file exists\n");
            }
            return Ok(());
        }
        // Without -O, busybox will not overwrite a file.
        if o.output.is_none() && self.read_files().contains_key(&file) {
            return Err(format!("can't open '{file}': File exists"));
        }
        let to_stdout = file == "-";
        if !o.quiet {
            self.print_err(&if to_stdout {
                "writing to stdout\n".to_string()
            } else {
                format!("saving to '{file}'\n")
            });
        }
        if to_stdout {
            self.print(&reply.body);
        } else {
            self.save(&file, &reply.body);
        }
        if !o.quiet {
            let name = if to_stdout { "-" } else { file.as_str() };
            let bar = "*".repeat(32);
            self.print_err(&format!(
                "{name:<20.20}{:>4}% |{bar}| {:>5}  0:00:00 ETA\n{}\n",
                100,
                reply.body.len(),
                if to_stdout {
                    "written to stdout".to_string()
                } else {
                    format!("'{file}' saved")
                }
            ));
        }
        Ok(())
    }

    /// `curl`.
    pub(super) fn curl(&mut self, args: &[String]) -> Flow {
        let net = match self.reach("curl") {
            Ok(net) => net,
            Err(flow) => return flow,
        };
        let mut o = CurlOptions::default();
        let mut urls = Vec::new();
        let mut it = args.iter();
        let unknown = |sh: &mut Self, option: &str| {
            sh.print_err(&format!(
                "curl: option {option}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"
            ));
            sh.status = 2;
            Flow::Normal
        };
        while let Some(a) = it.next() {
            match a.as_str() {
                "--silent" => o.silent = true,
                "--show-error" => o.show_error = true,
                "--include" => o.include = true,
                "--head" => o.head = true,
                "--fail" => o.fail = true,
                "--verbose" => o.verbose = true,
                "--location" | "--insecure" | "--compressed" => {}
                "--remote-name" => o.remote_name = true,
                "--output" | "--write-out" | "--max-time" | "--connect-timeout" | "--header"
                | "--user-agent" | "--request" => {
                    let v = it.next().cloned();
                    match a.as_str() {
                        "--output" => o.output = v,
                        "--write-out" => o.write_out = v,
                        _ => {}
                    }
                }
                long if long.starts_with("--") => return unknown(self, long),
                short if short.starts_with('-') && short.len() > 1 => {
                    for (c, v) in short_options(short, "owmHAX", &mut it) {
                        match c {
                            's' => o.silent = true,
                            'S' => o.show_error = true,
                            'i' => o.include = true,
                            'I' => o.head = true,
                            'f' => o.fail = true,
                            'v' => o.verbose = true,
                            'O' => o.remote_name = true,
                            'o' => o.output = v,
                            'w' => o.write_out = v,
                            'L' | 'k' | 'm' | 'H' | 'A' | 'X' => {}
                            _ => return unknown(self, &format!("-{c}")),
                        }
                    }
                }
                url => urls.push(url.to_string()),
            }
        }
        if urls.is_empty() {
            self.print_err("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
            self.status = 2;
            return Flow::Normal;
        }
        for text in urls {
            if !self.step() {
                return Flow::Stop;
            }
            let code = self.curl_one(net, &o, &text);
            if code != 0 {
                self.status = code;
            }
        }
        Flow::Normal
    }

    /// One URL of a `curl` command; its exit status.
    fn curl_one(&mut self, net: &dyn Network, o: &CurlOptions, text: &str) -> i64 {
        let fail = |sh: &mut Self, code: i64, message: String| {
            if !o.silent || o.show_error {
                sh.print_err(&format!("curl: ({code}) {message}\n"));
            }
            code
        };
        // The progress meter, on standard error, unless the body goes to a terminal.
        let to_file = o.remote_name || o.output.as_deref().is_some_and(|f| f != "-");
        let meter = !o.silent && (!net.terminal() || to_file);
        let Some(url) = Url::parse(text) else {
            return fail(
                self,
                3,
                "URL using bad/illegal format or missing URL".into(),
            );
        };
        if url.scheme != "http" && url.scheme != "https" {
            return fail(
                self,
                1,
                format!(
                    "Protocol \"{}\" not supported or disabled in libcurl",
                    url.scheme
                ),
            );
        }
        self.requests += 1;
        let answer = net.get(&url, o.head, self.requests);
        if meter {
            // `-f` gives up at an error status, before the body.
            let size = answer.as_ref().map_or(0, |r| {
                if o.fail && r.status >= 400 {
                    0
                } else {
                    r.body.len()
                }
            });
            self.print_err(&progress_meter(size));
        }
        let reply = match answer {
            Ok(r) => r,
            Err(NetError::NoHost) => {
                return fail(self, 6, format!("Could not resolve host: {}", url.host))
            }
            Err(NetError::Refused(_)) => {
                return fail(
                    self,
                    7,
                    format!(
                        "Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                        url.host, url.port
                    ),
                )
            }
            Err(NetError::TimedOut(_)) => {
                return fail(
                    self,
                    28,
                    format!(
                    "Failed to connect to {} port {} after 130000 ms: Couldn't connect to server",
                    url.host, url.port
                ),
                )
            }
            Err(NetError::NotHttp(_)) => return fail(self, 52, "Empty reply from server".into()),
        };
        if o.verbose {
            let mut v = format!(
                "*   Trying {ip}:{port}...\n* Connected to {host} ({ip}) port {port} (#0)\n> {method} {path} HTTP/1.1\n> Host: {authority}\n> User-Agent: {CURL_AGENT}\n> Accept: */*\n> \n< {status}\n",
                ip = reply.ip,
                port = url.port,
                host = url.host,
                method = if o.head { "HEAD" } else { "GET" },
                path = url.path,
                authority = url.authority(),
                status = status_line(&reply),
            );
            for (k, val) in &reply.headers {
                v.push_str(&format!("< {k}: {val}\n"));
            }
            v.push_str("< \n");
            self.print_err(&v);
        }
        if o.fail && reply.status >= 400 {
            return fail(
                self,
                22,
                format!("The requested URL returned error: {}", reply.status),
            );
        }
        let mut out = String::new();
        if o.include || o.head {
            out.push_str(&status_line(&reply));
            out.push('\n');
            for (k, v) in &reply.headers {
                out.push_str(&format!("{k}: {v}\n"));
            }
            out.push('\n');
        }
        if !o.head {
            out.push_str(&reply.body);
        }
        let file = match (&o.output, o.remote_name) {
            (Some(f), _) => Some(f.clone()),
            (None, true) => match url.path.rsplit('/').next().filter(|s| !s.is_empty()) {
                Some(name) => Some(name.to_string()),
                None => return fail(self, 23, "Remote file name has no length!".into()),
            },
            (None, false) => None,
        };
        match file.as_deref() {
            Some("-") | None => self.print(&out),
            Some(f) => self.save(f, &out),
        }
        if o.verbose {
            self.print_err(&format!(
                "* Connection #0 to host {} left intact\n",
                url.host
            ));
        }
        if let Some(format) = &o.write_out {
            let text = write_out(format, &url, &reply, MAX_VALUE);
            self.print(&text);
        }
        0
    }
}

/// A word of bundled short options (`-qO-`, `-sSo FILE`), read as getopt reads it: letter
/// by letter, a letter of `with_value` taking the rest of the word, or else the next word,
/// as its value.
fn short_options<'a>(
    word: &str,
    with_value: &str,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Vec<(char, Option<String>)> {
    let mut out = Vec::new();
    let mut letters = word.chars().skip(1);
    while let Some(c) = letters.next() {
        if with_value.contains(c) {
            let tail: String = letters.by_ref().collect();
            let value = if tail.is_empty() {
                rest.next().cloned()
            } else {
                Some(tail)
            };
            out.push((c, value));
        } else {
            out.push((c, None));
        }
    }
    out
}

/// curl's progress meter once a transfer of `size` bytes is over (it took about a
/// millisecond: no simulated time passes).
fn progress_meter(size: usize) -> String {
    // curl's `max5data`: five characters at most.
    let five = |n: usize| match n {
        n if n < 100_000 => format!("{n:>5}"),
        n if n < 10_000 * 1024 => format!("{:>4}k", n / 1024),
        n => format!("{:>4}M", n / (1024 * 1024)),
    };
    let (percent, speed) = if size == 0 {
        (0, 0)
    } else {
        (100, size * 1000)
    };
    format!(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n{percent:>3} {}  {percent:>3} {}    0     0  {}      0 --:--:-- --:--:-- --:--:-- {}\n",
        five(size),
        five(size),
        five(speed),
        five(speed)
    )
}

/// curl's `--write-out` variables the courses use, and its `\n` `\t` escapes; at most
/// about `limit` bytes.
fn write_out(format: &str, url: &Url, r: &Reply, limit: usize) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(i) = rest.find(['%', '\\']) {
        if out.len() > limit {
            return out;
        }
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("%{") {
            if let Some(end) = after.find('}') {
                let value = match &after[..end] {
                    "http_code" | "response_code" => r.status.to_string(),
                    "remote_ip" => r.ip.clone(),
                    "remote_port" => url.port.to_string(),
                    "size_download" => r.body.len().to_string(),
                    "content_type" => r
                        .headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default(),
                    "url_effective" | "url" => {
                        format!("{}://{}{}", url.scheme, url.authority(), url.path)
                    }
                    "time_total" | "time_connect" => "0.001000".into(),
                    _ => String::new(),
                };
                out.push_str(&value);
                rest = &after[end + 1..];
                continue;
            }
        }
        let (piece, skip) = match tail.get(..2) {
            Some("\\n") => ("\n", 2),
            Some("\\t") => ("\t", 2),
            Some("\\r") => ("\r", 2),
            Some("%%") => ("%", 2),
            _ => (&tail[..1], 1),
        };
        out.push_str(piece);
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out
}
