import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { splitCommandLine } from './command-line.ts';
import { evaluatePolicy } from './evaluate-policy.ts';
import { fixtureHost, makeRoot, TableCommands, type FixtureEntry, type FixtureRoot } from './fixture-host.ts';
import type { CommandOutcome } from './host-access.ts';
import { parsePolicy } from './parse-policy.ts';
import { BUILTIN_SCA_DIR, listPolicyFiles } from './policy-files.ts';
import type { PolicyScan, ScaPolicy } from './policy-types.ts';

/* Vigil's own policies (ruleset/sca): they parse, and every check gives the expected result on fixture roots. */

const load = (name: string): ScaPolicy => {
  const path = join(BUILTIN_SCA_DIR, name);
  return parsePolicy(path, readFileSync(path, 'utf8'));
};
const LINUX = load('vigil_linux_baseline.yml');
const K8S = load('vigil_kubernetes_worker.yml');

const roots: FixtureRoot[] = [];
after(() => roots.forEach((r) => r.cleanup()));

function root(tree: Record<string, FixtureEntry>): FixtureRoot {
  const r = makeRoot(tree);
  roots.push(r);
  return r;
}

const results = (scan: PolicyScan) => Object.fromEntries(scan.checks.map((c) => [c.id, c.reason ? `${c.result}: ${c.reason}` : c.result]));

test('the built-in policies parse, with rationale, remediation and compliance on every check', () => {
  const files = listPolicyFiles(['builtin']).map((f) => f.slice(BUILTIN_SCA_DIR.length + 1));
  assert.deepEqual(files, ['vigil_kubernetes_worker.yml', 'vigil_linux_baseline.yml']);
  for (const policy of [LINUX, K8S]) {
    assert.deepEqual(policy.warnings, [], `${policy.id}: every pattern compiles`);
    for (const check of policy.checks) {
      assert.ok(check.description && check.rationale && check.remediation, `${policy.id} ${check.id}: description, rationale, remediation`);
      assert.ok(Object.keys(check.compliance).length >= 2, `${policy.id} ${check.id}: compliance mapping`);
    }
  }
  assert.ok(LINUX.checks.length >= 30 && K8S.checks.length >= 15);
});

// ----------------------------------------------------------------------------------------------- Linux

const sysctl = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`/proc/sys/${k.replaceAll('.', '/')}`, `${v}\n`]));

const HARDENED_SYSCTL = {
  'kernel.randomize_va_space': '2',
  'kernel.yama.ptrace_scope': '1',
  'fs.suid_dumpable': '0',
  'kernel.dmesg_restrict': '1',
  'kernel.kptr_restrict': '1',
  'fs.protected_hardlinks': '1',
  'fs.protected_symlinks': '1',
  'net.ipv4.conf.all.send_redirects': '0',
  'net.ipv4.conf.default.send_redirects': '0',
  'net.ipv4.conf.all.accept_redirects': '0',
  'net.ipv4.conf.default.accept_redirects': '0',
  'net.ipv4.conf.all.accept_source_route': '0',
  'net.ipv4.conf.default.accept_source_route': '0',
  'net.ipv4.conf.all.rp_filter': '1',
  'net.ipv4.conf.default.rp_filter': '2',
  'net.ipv4.tcp_syncookies': '1',
};

const DEBIAN = {
  '/etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n',
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/bash\n',
  '/etc/shadow': 'root:$y$j9T$abc:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nalice:!:19700:0:99999:7:::\n',
};

const HARDENED: Record<string, FixtureEntry> = {
  ...DEBIAN,
  '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\n#PermitRootLogin prohibit-password\nX11Forwarding no\nLoginGraceTime 60\n',
  '/etc/ssh/sshd_config.d/50-vigil.conf': 'PermitRootLogin no\nMaxAuthTries\t3\n',
  '/etc/ssh/ssh_config': 'PermitRootLogin yes\n', // the client's file is not the server's
  '/etc/login.defs': 'PASS_MAX_DAYS\t180\nPASS_MIN_DAYS\t1\nUMASK\t\t027\n',
  ...sysctl(HARDENED_SYSCTL),
  '/proc/1/mounts': 'sysfs /sys sysfs rw 0 0\ntmpfs /tmp tmpfs rw,nosuid,nodev 0 0\n',
  '/etc/apt/apt.conf.d/20auto-upgrades': 'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n',
  '/sys/module/apparmor/parameters/enabled': 'Y\n',
  '/usr/sbin/auditctl': '',
  '/sbin': { link: 'usr/sbin' },
  '/etc/audit/rules.d/50-identity.rules': '-w /etc/passwd -p wa -k identity\n-w /etc/shadow -p wa -k identity\n-w /etc/group -p wa -k identity\n',
  '/etc/audit/rules.d/99-finalize.rules': '-e 2\n',
  '/var/log/journal': { dir: true },
};

const stat = (path: string, mode: string, owner = 'root', group = 'root') => ({ [`stat -Lc "%A %U %G" ${path}`]: `${mode} ${owner} ${group}\n` });

const HARDENED_STAT = {
  ...stat('/etc/ssh/sshd_config', '-rw-------'),
  ...stat('/etc/passwd', '-rw-r--r--'),
  ...stat('/etc/shadow', '-rw-r-----', 'root', 'shadow'),
  ...stat('/etc/group', '-rw-r--r--'),
  ...stat('/etc/gshadow', '-rw-r-----', 'root', 'shadow'),
  ...stat('/etc/crontab', '-rw-------'),
};

test('Linux baseline: every check passes on a hardened Debian root', async () => {
  const scan = await evaluatePolicy(LINUX, fixtureHost(root(HARDENED), HARDENED_STAT));
  assert.equal(scan.status, 'scanned');
  const notPassed = scan.checks.filter((c) => c.result !== 'passed').map((c) => `${c.id} ${c.result} ${c.reason ?? ''}`);
  assert.deepEqual(notPassed, []);
  assert.equal(scan.score, 100);
});

test("Linux baseline: Debian's defaults fail where they should, and missing files are not applicable", async () => {
  const weak = root({
    ...DEBIAN,
    '/etc/passwd': `${DEBIAN['/etc/passwd']}toor:x:0:0::/root:/bin/sh\nlegacy:$1$abc:1001:1001::/home/legacy:/bin/sh\n`,
    '/etc/shadow': `${DEBIAN['/etc/shadow']}guest::19700:0:99999:7:::\n`,
    '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\n#PermitRootLogin prohibit-password\nPermitEmptyPasswords yes\nX11Forwarding yes\nMaxAuthTries 6\nLoginGraceTime 0\n',
    '/etc/ssh/sshd_config.d': { dir: true },
    '/etc/login.defs': 'PASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t0\nUMASK\t\t022\n',
    ...sysctl({ ...HARDENED_SYSCTL, 'kernel.randomize_va_space': '0', 'net.ipv4.conf.all.rp_filter': '0', 'kernel.kptr_restrict': '0' }),
    '/proc/1/mounts': 'sysfs /sys sysfs rw 0 0\n',
    '/etc/fstab': 'UUID=1 / ext4 defaults 0 1\n',
    '/usr/sbin/in.telnetd': '',
    '/etc/audit/rules.d/50-identity.rules': '-w /etc/passwd -p wa -k identity\n',
    '/etc/systemd/journald.conf': '[Journal]\n#Storage=auto\n',
  });
  const scan = await evaluatePolicy(LINUX, fixtureHost(weak, { ...HARDENED_STAT, ...stat('/etc/shadow', '-rw-r--r--'), ...stat('/etc/ssh/sshd_config', '-rw-r--r--') }));
  const r = results(scan);
  for (const id of [120001, 120002, 120005, 120006, 120007, 120008, 120010, 120011, 120012, 120013, 120014, 120015, 120021, 120030, 120033, 120043, 120050, 120051, 120052, 120060, 120061, 120062, 120063]) {
    assert.equal(r[id], 'failed', `check ${id}`);
  }
  for (const id of [120003, 120004, 120020, 120022, 120031, 120032, 120034, 120040, 120044]) assert.equal(r[id], 'passed', `check ${id}`);
  assert.equal(r[120053], "not applicable: Could not open file '/sys/module/apparmor/parameters/enabled'");
});

test('Linux baseline: not scanned on a host that is not Debian or Ubuntu', async () => {
  const fedora = root({ '/etc/os-release': 'NAME="Fedora Linux"\nID=fedora\n' });
  const scan = await evaluatePolicy(LINUX, fixtureHost(fedora));
  assert.equal(scan.status, 'requirements not satisfied');
  const ubuntu = root({ '/etc/os-release': 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n' });
  assert.equal((await evaluatePolicy(LINUX, fixtureHost(ubuntu))).status, 'scanned');
  const mint = root({ '/etc/os-release': 'ID=linuxmint\nID_LIKE="ubuntu debian"\n' });
  assert.equal((await evaluatePolicy(LINUX, fixtureHost(mint))).status, 'scanned');
});

// ------------------------------------------------------------------------------------------ Kubernetes

const run = promisify(execFile);

/**
 * Answers the policy's commands on a fixture root: the awk program that reads the kubelet configuration really
 * runs (on the fixture's file), everything else comes from a table.
 */
class KubeletCommands extends TableCommands {
  constructor(
    private readonly fixture: FixtureRoot,
    table: Record<string, string | CommandOutcome>,
  ) {
    super(table);
  }

  override async run(command: string): Promise<CommandOutcome> {
    if (command === K8S.variables['$kubelet_settings']) {
      this.ran.push(command);
      const [awk, program, file] = splitCommandLine(command).words as [string, string, string];
      try {
        const { stdout } = await run(awk, [program, join(this.fixture.path, file)]);
        return { kind: 'exited', exitCode: 0, output: stdout };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { kind: 'exited', exitCode: e.code ?? 2, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    }
    return super.run(command);
  }
}

const KUBELET_CONFIG = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
protectKernelDefaults: true
readOnlyPort: 0
rotateCertificates: true
serverTLSBootstrap: true   # serving certificates signed by the cluster
staticPodPath: /etc/kubernetes/manifests
podPidsLimit: 4096
eventRecordQPS: 50
tlsCipherSuites:
- TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
- TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305
`;

const CONTAINERD_CONFIG = `version = 2

[grpc]
  address = "/run/containerd/containerd.sock"
  tcp_address = ""

[plugins."io.containerd.grpc.v1.cri"]
  disable_apparmor = false
  sandbox_image = "registry.k8s.io/pause:3.9"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
    SystemdCgroup = true
`;

const UNITS = 'sh -c "stat -Lc \'%A %U %G %n\' /etc/systemd/system/kubelet.service /etc/systemd/system/kubelet.service.d/*.conf /usr/lib/systemd/system/kubelet.service /usr/lib/systemd/system/kubelet.service.d/*.conf /lib/systemd/system/kubelet.service 2>/dev/null"';
const SOCKETS = 'sh -c "stat -Lc \'%A %U %G %n\' /run/containerd/containerd.sock /var/run/crio/crio.sock /var/run/docker.sock 2>/dev/null"';
const PROXY = 'sh -c "stat -Lc \'%A %U %G %n\' /etc/kubernetes/proxy.conf /etc/kubernetes/kube-proxy.conf /var/lib/kube-proxy/kubeconfig /var/lib/kube-proxy/kubeconfig.conf 2>/dev/null"';
const CONTAINERD_FILE = 'sh -c "stat -Lc \'%A %U %G %n\' /etc/containerd/config.toml 2>/dev/null"';
const CONTAINERD_DIR = 'sh -c "stat -Lc \'%A %U %G %n\' /run/containerd 2>/dev/null"';
const ARGS = 'ps -C kubelet -o args=';

const K8S_TABLE: Record<string, string> = {
  ...stat('/var/lib/kubelet/config.yaml', '-rw-------'),
  ...stat('/etc/kubernetes/kubelet.conf', '-rw-------'),
  ...stat('/etc/kubernetes/pki/ca.crt', '-rw-r--r--'),
  [UNITS]: '-rw------- root root /usr/lib/systemd/system/kubelet.service\n-rw------- root root /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf\n',
  [SOCKETS]: 'srw-rw---- root root /run/containerd/containerd.sock\nsrw-rw---- root docker /var/run/docker.sock\n',
  [PROXY]: '',
  [CONTAINERD_FILE]: '-rw-r--r-- root root /etc/containerd/config.toml\n',
  [CONTAINERD_DIR]: 'drwx--x--x root root /run/containerd\n',
  [ARGS]: '/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///var/run/containerd/containerd.sock\n',
};

function k8sHost(tree: Record<string, FixtureEntry>, table: Record<string, string>) {
  const fixture = root(tree);
  return { ...fixtureHost(fixture), commands: new KubeletCommands(fixture, table) };
}

test('Kubernetes worker: every check passes on a hardened kubeadm node', async () => {
  const host = k8sHost({ '/var/lib/kubelet/config.yaml': KUBELET_CONFIG, '/etc/kubernetes/kubelet.conf': 'apiVersion: v1\n', '/etc/containerd/config.toml': CONTAINERD_CONFIG }, K8S_TABLE);
  const scan = await evaluatePolicy(K8S, host);
  assert.equal(scan.status, 'scanned');
  const notPassed = scan.checks.filter((c) => c.result !== 'passed').map((c) => `${c.id} ${c.result} ${c.reason ?? ''}`);
  assert.deepEqual(notPassed, []);
});

test('Kubernetes worker: anonymous auth, AlwaysAllow, the read-only port and no rotation fail; flags override the file', async () => {
  const config = KUBELET_CONFIG.replace('    enabled: false', '    enabled: true')
    .replace('  mode: Webhook', '  mode: AlwaysAllow')
    .replace('readOnlyPort: 0', 'readOnlyPort: 10255')
    .replace('rotateCertificates: true', 'rotateCertificates: false')
    .replace('protectKernelDefaults: true\n', '')
    .replace('serverTLSBootstrap: true   # serving certificates signed by the cluster\n', 'streamingConnectionIdleTimeout: 0s\nmakeIPTablesUtilChains: false\n')
    .replace('podPidsLimit: 4096', 'podPidsLimit: -1')
    .replace('eventRecordQPS: 50', 'eventRecordQPS: 2')
    .replace('- TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305\n', '- TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305\n- TLS_RSA_WITH_AES_128_CBC_SHA   # for an old client\n');
  const containerd = CONTAINERD_CONFIG.replace('tcp_address = ""', 'tcp_address = "0.0.0.0:2375"').replace('disable_apparmor = false', 'disable_apparmor = true');
  const loose = {
    ...K8S_TABLE,
    ...stat('/var/lib/kubelet/config.yaml', '-rw-r--r--'),
    ...stat('/etc/kubernetes/pki/ca.crt', '-rw-rw-rw-'),
    [UNITS]: '-rw-r--r-- root root /usr/lib/systemd/system/kubelet.service\n-rw------- deploy root /etc/systemd/system/kubelet.service.d/20-extra.conf\n',
    [SOCKETS]: 'srw-rw-rw- root root /run/containerd/containerd.sock\n',
    [PROXY]: '-rw-r--r-- root root /var/lib/kube-proxy/kubeconfig\n',
    [CONTAINERD_FILE]: '-rw-rw-r-- root root /etc/containerd/config.toml\n',
    [CONTAINERD_DIR]: 'drwxr-xr-x root root /run/containerd\n',
  };
  const scan = await evaluatePolicy(K8S, k8sHost({ '/var/lib/kubelet/config.yaml': config, '/etc/containerd/config.toml': containerd }, loose));
  const r = results(scan);
  const failing = [121002, 121004, 121005, 121006, 121007, 121010, 121011, 121013, 121014, 121015, 121016, 121017, 121018, 121020, 121021, 121022, 121023, 121024, 121030, 121031, 121032, 121033];
  for (const id of failing) assert.equal(r[id], 'failed', `check ${id}`);
  for (const id of [121001, 121003, 121012, 121019]) assert.equal(r[id], 'passed', `check ${id}`);
  assert.deepEqual(K8S.checks.map((c) => c.id).filter((id) => !failing.includes(id) && ![121001, 121003, 121012, 121019].includes(id)), [], 'every check is tested failing or passing here');

  // A safe file, but flags on the kubelet's command line that override it.
  const flags = `${K8S_TABLE[ARGS]?.trimEnd()} --anonymous-auth=true --authorization-mode=AlwaysAllow --read-only-port=10255 --hostname-override=node-x --event-qps=1 --tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_RC4_128_SHA\n`;
  const overridden = results(await evaluatePolicy(K8S, k8sHost({ '/var/lib/kubelet/config.yaml': KUBELET_CONFIG, '/etc/containerd/config.toml': CONTAINERD_CONFIG }, { ...K8S_TABLE, [ARGS]: flags })));
  for (const id of [121010, 121011, 121013, 121019, 121021, 121023]) assert.equal(overridden[id], 'failed', `check ${id} with flags`);
});

test('Kubernetes worker: settings given only as flags count (pod PIDs, serving certificate), a flow-style cipher list is read, and containerd without a config file is not failed', async () => {
  const config = KUBELET_CONFIG.replace('podPidsLimit: 4096\n', '')
    .replace('serverTLSBootstrap: true   # serving certificates signed by the cluster\n', '')
    .replace(/tlsCipherSuites:\n(- .*\n)+/, 'tlsCipherSuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n');
  const flags = `${K8S_TABLE[ARGS]?.trimEnd()} --pod-max-pids=2048 --tls-cert-file=/var/lib/kubelet/pki/kubelet.crt --tls-private-key-file=/var/lib/kubelet/pki/kubelet.key --rotate-server-certificates --feature-gates=RotateKubeletServerCertificate=true\n`;
  const r = results(await evaluatePolicy(K8S, k8sHost({ '/var/lib/kubelet/config.yaml': config }, { ...K8S_TABLE, [ARGS]: flags, [CONTAINERD_FILE]: '' })));
  for (const id of [121022, 121023, 121024, 121030, 121018]) assert.equal(r[id], 'passed', `check ${id}`);
  for (const id of [121031, 121032]) assert.match(String(r[id]), /^not applicable/, `check ${id} without /etc/containerd/config.toml`);
  const withoutLimit = results(await evaluatePolicy(K8S, k8sHost({ '/var/lib/kubelet/config.yaml': config }, K8S_TABLE)));
  assert.equal(withoutLimit[121024], 'failed', 'no podPidsLimit and no flag: no limit');
  assert.equal(withoutLimit[121022], 'failed', 'no serving certificate and no bootstrap: self-signed');
});

test('Kubernetes worker: not scanned on a host without a kubelet', async () => {
  const scan = await evaluatePolicy(K8S, k8sHost({ '/etc/os-release': 'ID=debian\n' }, {}));
  assert.equal(scan.status, 'requirements not satisfied');
});
