/*
 * Unit tests of the /proc/PID/cgroup parser (src/cgroup.c) on real
 * lines: each case is the text (or the lines of it that matter) as a
 * public bug report or test quoted it, cited above it, with every field
 * the parser must give.  Linked with src/libipciparse.a alone, as the
 * fuzz target is.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "tap.h"

struct want {
	const char *name;
	const char *text;
	const char *path;	/* NULL: none */
	const char *unit, *slice;
	int uid;		/* -1: none */
	const char *session;
	const char *runtime;	/* NULL: none */
	const char *id, *cname;
	const char *pod, *qos;
};

static const struct want cases[] = {
	/* ctrsploit/ctrsploit#280: docker, cgroupfs driver, v1 hybrid (excerpt) */
	{ "docker cgroupfs, hybrid",
	  "3:pids:/docker/2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d\n"
	  "2:cpu,cpuacct:/docker/2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d\n"
	  "1:name=systemd:/docker/2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d\n"
	  "0::/system.slice/containerd.service\n",
	  "/docker/2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d", "", "", -1, "",
	  "docker", "2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d", "", "", NULL },
	/* nginx-proxy/docker-gen#186 (Fedora 23): docker, systemd driver, v1 */
	{ "docker systemd driver, v1",
	  "2:memory:/system.slice/docker-9b98bb265ea4c149d9a786380dd07716d341c3e925f2616040c6cd9ac8c4b75c.scope\n"
	  "1:name=systemd:/system.slice/docker-9b98bb265ea4c149d9a786380dd07716d341c3e925f2616040c6cd9ac8c4b75c.scope\n",
	  "/system.slice/docker-9b98bb265ea4c149d9a786380dd07716d341c3e925f2616040c6cd9ac8c4b75c.scope",
	  "docker-9b98bb265ea4c149d9a786380dd07716d341c3e925f2616040c6cd9ac8c4b75c.scope", "system.slice",
	  -1, "", "docker", "9b98bb265ea4c149d9a786380dd07716d341c3e925f2616040c6cd9ac8c4b75c", "", "",
	  NULL },
	/* moby/moby#33352: docker joined the v1 controllers, not name=systemd */
	{ "docker in the v1 controllers only",
	  "13:pids:/\n"
	  "10:perf_event:/docker/5dace3de0735f73d2b5048f12d41a71741a02e49668de921fdae62f7e65dc498\n"
	  "9:net_cls:/\n"
	  "1:name=systemd:/\n",
	  "/", "", "", -1, "", "docker",
	  "5dace3de0735f73d2b5048f12d41a71741a02e49668de921fdae62f7e65dc498", "", "", NULL },
	/* lxc/lxc#3890: a kubelet burstable pod, docker, systemd driver, v1 (the lines quoted) */
	{ "kubepods burstable, docker scope, v1 controllers",
	  "12:rdma:/\n"
	  "11:freezer:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7d4424e6_bb13_42f4_a47a_45a4828bf54d.slice/docker-d0b3604b67ac7930dd34ba3a796627e3e4717d12309e90a4afe3f38b6816ac98.scope\n",
	  NULL, "", "", -1, "", "docker",
	  "d0b3604b67ac7930dd34ba3a796627e3e4717d12309e90a4afe3f38b6816ac98", "",
	  "7d4424e6-bb13-42f4-a47a-45a4828bf54d", "burstable" },
	/* opencontainers/runc#4620: CRI-O, burstable pod, v1 */
	{ "kubepods burstable, crio scope",
	  "13:freezer:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-poda5c1f8d5_1919_434d_add7_4afaafdaef89.slice/crio-5eed917563583925ffdbd40a64efb2aaffe58638e57add8becaf460fe74f5b1c.scope\n"
	  "11:files:/\n",
	  NULL, "", "", -1, "", "crio",
	  "5eed917563583925ffdbd40a64efb2aaffe58638e57add8becaf460fe74f5b1c", "",
	  "a5c1f8d5-1919-434d-add7-4afaafdaef89", "burstable" },
	/* containerd/nri#227 (kind): the container's v2 path as its log gives it, besteffort */
	{ "kubepods besteffort, cri-containerd, v2, kubelet.slice prefix",
	  "0::/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod1e597579_417e_482f_bf65_5fe170c3aebd.slice/cri-containerd-a09bc17f5aa29b0dbdec9ede5f46cf1396d2405917ab02e6f1eb1019f388396e.scope\n",
	  "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod1e597579_417e_482f_bf65_5fe170c3aebd.slice/cri-containerd-a09bc17f5aa29b0dbdec9ede5f46cf1396d2405917ab02e6f1eb1019f388396e.scope",
	  "cri-containerd-a09bc17f5aa29b0dbdec9ede5f46cf1396d2405917ab02e6f1eb1019f388396e.scope",
	  "kubelet-kubepods-besteffort-pod1e597579_417e_482f_bf65_5fe170c3aebd.slice", -1, "",
	  "containerd", "a09bc17f5aa29b0dbdec9ede5f46cf1396d2405917ab02e6f1eb1019f388396e", "",
	  "1e597579-417e-482f-bf65-5fe170c3aebd", "besteffort" },
	/* iovisor/kubectl-trace#207: the systemd-driver path in its comment, as a v2 line */
	{ "kubepods burstable, cri-containerd, v2",
	  "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod40934a46_d409_4f4a_bb8b_1ec0b0436320.slice/cri-containerd-afc114c69e71f18166abd63715398d7daa763c69a6454f71157272ab0bdca783.scope\n",
	  "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod40934a46_d409_4f4a_bb8b_1ec0b0436320.slice/cri-containerd-afc114c69e71f18166abd63715398d7daa763c69a6454f71157272ab0bdca783.scope",
	  "cri-containerd-afc114c69e71f18166abd63715398d7daa763c69a6454f71157272ab0bdca783.scope",
	  "kubepods-burstable-pod40934a46_d409_4f4a_bb8b_1ec0b0436320.slice", -1, "", "containerd",
	  "afc114c69e71f18166abd63715398d7daa763c69a6454f71157272ab0bdca783", "",
	  "40934a46-d409-4f4a-bb8b-1ec0b0436320", "burstable" },
	/* elastic/apm-nodejs-http-client#164: runc's SLICE:PREFIX:ID given to a cgroupfs manager */
	{ "containerd slice:cri-containerd:id form, v1",
	  "1:name=systemd:/system.slice/containerd.service/kubepods-burstable-podff49d0be_16b7_4a49_bb9e_8ec1f1f4e27f.slice:cri-containerd:0f99ad5f45163ed14ab8eaf92ed34bb4a631d007f8755a7d79be614bcb0df0ef\n",
	  "/system.slice/containerd.service/kubepods-burstable-podff49d0be_16b7_4a49_bb9e_8ec1f1f4e27f.slice:cri-containerd:0f99ad5f45163ed14ab8eaf92ed34bb4a631d007f8755a7d79be614bcb0df0ef",
	  "containerd.service", "system.slice", -1, "", "containerd",
	  "0f99ad5f45163ed14ab8eaf92ed34bb4a631d007f8755a7d79be614bcb0df0ef", "",
	  "ff49d0be-16b7-4a49-bb9e-8ec1f1f4e27f", "burstable" },
	/* iovisor/kubectl-trace#207: kubelet's cgroupfs driver */
	{ "kubepods cgroupfs burstable",
	  "0::/kubepods/burstable/pod31dd0274-bb43-4975-bdbc-7e10047a23f8/851c75dad6ad8ce6a5d9b9129a4eb1645f7c6e5ba8406b12d50377b665737072\n",
	  "/kubepods/burstable/pod31dd0274-bb43-4975-bdbc-7e10047a23f8/851c75dad6ad8ce6a5d9b9129a4eb1645f7c6e5ba8406b12d50377b665737072",
	  "", "", -1, "", "cri", "851c75dad6ad8ce6a5d9b9129a4eb1645f7c6e5ba8406b12d50377b665737072", "",
	  "31dd0274-bb43-4975-bdbc-7e10047a23f8", "burstable" },
	/* Qard/container-info test/fixtures: cgroupfs besteffort, v1 */
	{ "kubepods cgroupfs besteffort, v1",
	  "11:devices:/kubepods/besteffort/pod74c13223-5a00-11e9-b385-42010a80018d/34dc0b5e626f2c5c4c5170e34b10e7654ce36f0fcd532739f4445baabea03376\n",
	  NULL, "", "", -1, "", "cri", "34dc0b5e626f2c5c4c5170e34b10e7654ce36f0fcd532739f4445baabea03376",
	  "", "74c13223-5a00-11e9-b385-42010a80018d", "besteffort" },
	/* a cgroup v1 line quoted by a Rust cgroup parser's test: guaranteed (no QoS directory) */
	{ "kubepods cgroupfs guaranteed, v1",
	  "6:cpu,cpuacct:/kubepods/pod5b977639-f878-469b-94ee-47a4aa7e597a/dd55abbabd99bcb4d2ce17ffa77d6f811c90e09202f537c273962a8259cac8a0\n",
	  NULL, "", "", -1, "", "cri", "dd55abbabd99bcb4d2ce17ffa77d6f811c90e09202f537c273962a8259cac8a0",
	  "", "5b977639-f878-469b-94ee-47a4aa7e597a", "guaranteed" },
	/* podman-container-tools/podman#10602: podman with systemd inside, v1: nested scopes */
	{ "podman, nested init.scope, v1",
	  "12:pids:/machine.slice/libpod-2521e906f0a0c758c3a7dc4fd68c197e32e96abb4b36807d0b0ede6d014a7c24.scope\n"
	  "1:name=systemd:/machine.slice/libpod-2521e906f0a0c758c3a7dc4fd68c197e32e96abb4b36807d0b0ede6d014a7c24.scope/init.scope\n",
	  "/machine.slice/libpod-2521e906f0a0c758c3a7dc4fd68c197e32e96abb4b36807d0b0ede6d014a7c24.scope/init.scope",
	  "init.scope", "machine.slice", -1, "", "podman",
	  "2521e906f0a0c758c3a7dc4fd68c197e32e96abb4b36807d0b0ede6d014a7c24", "", "", NULL },
	/* podman-container-tools/podman#20423: podman under a user manager, v2 */
	{ "podman under user@0.service, v2",
	  "0::/user.slice/user-0.slice/user@0.service/machine.slice/libpod-cf21d19260ace8544fe8b769fc2638bf2c0873dfbfff0b6253f0569b26a1d5eb.scope/container\n",
	  "/user.slice/user-0.slice/user@0.service/machine.slice/libpod-cf21d19260ace8544fe8b769fc2638bf2c0873dfbfff0b6253f0569b26a1d5eb.scope/container",
	  "libpod-cf21d19260ace8544fe8b769fc2638bf2c0873dfbfff0b6253f0569b26a1d5eb.scope", "machine.slice",
	  0, "", "podman", "cf21d19260ace8544fe8b769fc2638bf2c0873dfbfff0b6253f0569b26a1d5eb", "", "",
	  NULL },
	/* containers/crun#376: `podman unshare`, rootless: a podman-PID.scope is no container */
	{ "podman unshare scope, rootless",
	  "0::/user.slice/user-1000.slice/user@1000.service/user.slice/podman-6696.scope\n",
	  "/user.slice/user-1000.slice/user@1000.service/user.slice/podman-6696.scope", "podman-6696.scope",
	  "user.slice", 1000, "", NULL, "", "", "", NULL },
	/* hishamhm/htop#328: LXC 4 (LXD) payload with a service inside, hybrid */
	{ "lxc.payload with a service inside, hybrid",
	  "12:freezer:/lxc.payload.buster\n"
	  "1:name=systemd:/lxc.payload.buster/system.slice/networking.service\n"
	  "0::/lxc.payload.buster/system.slice/networking.service\n",
	  "/lxc.payload.buster/system.slice/networking.service", "networking.service", "system.slice", -1,
	  "", "lxc", "", "buster", "", NULL },
	/* liske/needrestart#238: LXC on cgroup v2 */
	{ "lxc.payload, v2",
	  "0::/lxc.payload.focal/system.slice/avahi-daemon.service\n",
	  "/lxc.payload.focal/system.slice/avahi-daemon.service", "avahi-daemon.service", "system.slice",
	  -1, "", "lxc", "", "focal", "", NULL },
	/* a machined machine scope as a Go cgroup classifier's test quotes it (escaped name) */
	{ "machine scope with escapes",
	  "0::/machine.slice/machine-qemu\\x2d1\\x2dvm.scope\n",
	  "/machine.slice/machine-qemu\\x2d1\\x2dvm.scope", "machine-qemu\\x2d1\\x2dvm.scope",
	  "machine.slice", -1, "", "nspawn", "", "qemu-1-vm", "", NULL },
	/* moby/moby#34220: a login session (name=systemd); the v1 controllers name no 64-hex id */
	{ "user session, v1",
	  "10:perf_event:/docker/c8cef9e2ff114e429cb845559c4a0dff\n"
	  "1:name=systemd:/user.slice/user-52321.slice/session-128207.scope\n",
	  "/user.slice/user-52321.slice/session-128207.scope", "session-128207.scope", "user-52321.slice",
	  52321, "128207", NULL, "", "", "", NULL },
	/* liske/needrestart#165: a plain system service, v1 */
	{ "system service, v1",
	  "3:cpuacct,cpu:/system.slice/docker.service\n"
	  "2:net_prio,net_cls:/\n"
	  "1:name=systemd:/system.slice/docker.service\n",
	  "/system.slice/docker.service", "docker.service", "system.slice", -1, "", NULL, "", "", "", NULL },
	/* lxc/lxc#3373: lxc-attach's "/.lxc" leaf names no container */
	{ "lxc-attach leaf", "1:cpuset:/\n0::/.lxc\n", "/.lxc", "", "", -1, "", NULL, "", "", "", NULL },
	/* garbage and cut lines */
	{ "empty", "", NULL, "", "", -1, "", NULL, "", "", "", NULL },
	{ "no colons", "garbage\n", NULL, "", "", -1, "", NULL, "", "", "", NULL },
	{ "v2 line cut after the colons", "0::", NULL, "", "", -1, "", NULL, "", "", "", NULL },
	{ "docker id cut short",
	  "0::/system.slice/docker-9b98bb265ea4c149d9a786380dd07716d341c3e925f2616040c6cd9ac8c4b75",
	  "/system.slice/docker-9b98bb265ea4c149d9a786380dd07716d341c3e925f2616040c6cd9ac8c4b75", "",
	  "system.slice", -1, "", NULL, "", "", "", NULL },
	{ "upper-case id is no id",
	  "0::/docker/2403CCFE427F1DC7B6120DCCB9AC58C2F8456950380D587A9F33EA7F00DD303D\n",
	  "/docker/2403CCFE427F1DC7B6120DCCB9AC58C2F8456950380D587A9F33EA7F00DD303D", "", "", -1, "", NULL,
	  "", "", "", NULL },
	{ "crio-conmon scope is no container",
	  "0::/machine.slice/crio-conmon-5421387b6d8ed001ef38d5461a4675e4822561082d3115c254c11addad43c1a6.scope\n",
	  "/machine.slice/crio-conmon-5421387b6d8ed001ef38d5461a4675e4822561082d3115c254c11addad43c1a6.scope",
	  "crio-conmon-5421387b6d8ed001ef38d5461a4675e4822561082d3115c254c11addad43c1a6.scope",
	  "machine.slice", -1, "", NULL, "", "", "", NULL },
	{ "user slice uid above 32 bits", "0::/user.slice/user-4294967296.slice/session-1.scope\n",
	  "/user.slice/user-4294967296.slice/session-1.scope", "session-1.scope",
	  "user-4294967296.slice", -1, "", NULL, "", "", "", NULL },
	{ "a removed cgroup", "0::/system.slice/foo.service (deleted)\n", "/system.slice/foo.service",
	  "foo.service", "system.slice", -1, "", NULL, "", "", "", NULL },
};

static void check(const struct want *w)
{
	struct cgroup_info ci;

	cgroup_parse(w->text, strlen(w->text), &ci);
	is_str(ci.path, w->path, "%s: path", w->name);
	is_str(ci.unit, w->unit, "%s: unit", w->name);
	is_str(ci.slice, w->slice, "%s: slice", w->name);
	is_int(ci.has_uid ? (long long)ci.uid : -1, w->uid, "%s: uid", w->name);
	is_str(ci.session, w->session, "%s: session", w->name);
	is_str(cgroup_runtime_name(ci.runtime), w->runtime, "%s: runtime", w->name);
	is_str(ci.id, w->id, "%s: id", w->name);
	is_str(ci.name, w->cname, "%s: name", w->name);
	is_str(ci.pod_uid, w->pod, "%s: pod uid", w->name);
	is_str(cgroup_qos_name(ci.qos), w->qos, "%s: qos", w->name);
	cgroup_info_free(&ci);
}

/* Every cut of a real text parses without reading past the cut */
static void test_cuts(void)
{
	const char *text = cases[7].text;
	size_t n = strlen(text), i;
	bool fine = true;

	for (i = 0; i <= n; i++) {
		char *copy = malloc(i ? i : 1);
		struct cgroup_info ci;

		memcpy(copy, text, i);
		cgroup_parse(copy, i, &ci);
		if (ci.path && strlen(ci.path) > i)
			fine = false;
		if (i < n - 1 && ci.runtime != CGROUP_RT_NONE)
			fine = false;	/* the id is whole only at the end */
		cgroup_info_free(&ci);
		free(copy);
	}
	ok(fine, "cuts: every prefix of a line parses, none gives a container before the id is whole");
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&cases[i]);
	test_cuts();
	is_str(cgroup_runtime_name(CGROUP_RT_NONE), NULL, "no runtime has no name");
	return tap_done();
}
