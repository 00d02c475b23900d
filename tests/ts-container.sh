#!/bin/bash
# Which container, pod or unit, live: in a private IPC + PID + mount
# namespace, tests/helpers/mkipc processes each holding a SysV segment
# and a POSIX shared memory object are moved into cgroups made for this
# test under the unified hierarchy and named like each runtime's leaf
# (doc/kernel-facts.md, "A process's cgroup"): docker, a kubelet
# burstable pod running cri-containerd, CRI-O, podman, an nspawn machine
# and an LXC payload.  Checked: the JSON processes entries carry the exact
# runtime, id, name, pod UID and QoS, unit and slice; -o UNIT,CONTAINER
# shows them in the table; a helper started in an IPC namespace of its own
# (unshare --ipc) and moved into a docker leaf is selected by --container
# with an id prefix, with its unit, and is named in its --all-namespaces
# section; a prefix of two containers and one of none are refused.  The
# cgroups are removed at the end (trap), the processes first.  Skipped
# where no cgroup2 hierarchy can be written.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"	# bash, even where make runs /bin/sh
. "${TESTS_SRCDIR:?run the tests with make check}/lib.sh" || exit 99
ns_enter "$@"
ns_check_empty
command -v jq >/dev/null || skip_all "jq not installed"
command -v unshare >/dev/null || skip_all "unshare not installed"

# the unified hierarchy: /sys/fs/cgroup on a cgroup v2 host, its
# "unified" mount on a hybrid one
CGROOT=
for d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
	if [ "$(stat -fc %T "$d" 2>/dev/null)" = cgroup2fs ]; then
		CGROOT=$d
		break
	fi
done
[ -n "$CGROOT" ] || skip_all "no cgroup2 hierarchy at /sys/fs/cgroup or /sys/fs/cgroup/unified"
BASE=$CGROOT/ipci-test-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ').slice
mkdir "$BASE" 2>/dev/null || skip_all "cannot create a cgroup under $CGROOT (read-only?)"

export LC_ALL=C TZ=UTC
T=$(mktemp -d)
STARTED=()	# every process this test started that may still run
MADE=("$BASE")	# every cgroup made, parents first
cleanup() {
	local p i
	for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${STARTED[@]}"; do wait "$p" 2>/dev/null; done
	for ((i = ${#MADE[@]} - 1; i >= 0; i--)); do rmdir "${MADE[i]}" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
close_inherited_fds

hex64() {	# hex64 PREFIX: PREFIX then a fixed filler, 64 hex digits in all
	local s=${1}0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
	echo "${s:0:64}"
}
ID_DOCKER=$(hex64 abcd0001)
ID_CTRD=$(hex64 c0de0002)
ID_CRIO=$(hex64 c1100003)
ID_PODMAN=$(hex64 90d00004)
ID_OWN=$(hex64 abcd0005)	# the docker container in an IPC namespace of its own
POD=4e2b1c7a-1f0d-4a6b-9c3e-0123456789ab
POD_SLICE=kubepods-burstable-pod${POD//-/_}.slice

# leaf NAME PATH: make the cgroup $BASE/PATH (and its parents)
leaf() {
	local d=$BASE p
	local IFS=/
	for p in $2; do
		d=$d/$p
		if [ ! -d "$d" ]; then
			mkdir "$d" || bail "cannot make the cgroup $d"
			MADE+=("$d")
		fi
	done
	printf -v "CG_$1" %s "$d"
}
leaf docker "docker-$ID_DOCKER.scope"
leaf ctrd "$POD_SLICE/cri-containerd-$ID_CTRD.scope"
leaf crio "crio-$ID_CRIO.scope"
leaf podman "libpod-$ID_PODMAN.scope"
leaf nspawn "machine-web\\x2d1.scope"
leaf lxc "lxc.payload.box"
leaf own "docker-$ID_OWN.scope"

# start NAME KEY CMD...: a helper (CMD ends in mkipc's arguments) holding
# segment KEY and /dev/shm/NAME, moved into cgroup CG_NAME
start() {
	local name=$1 key=$2 pid cg
	shift 2
	mkfifo "$T/$name.in"
	"$@" "shm:s$name,key=$key,size=4096,attach=1" "pshm:p$name,path=/$name,size=8,fd" \
		<"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" 8>&- 9>&- &
	pid=$!
	STARTED+=("$pid")
	eval "exec {fd_$name}>\"\$T/\$name.in\""
	helper_wait_ready "$pid" "$T/$name.out" "$T/$name.err" "helper $name"
	cg=CG_$name
	echo "$pid" >"${!cg}/cgroup.procs" || bail "cannot move $pid into ${!cg}"
	printf -v "P_$name" %s "$pid"
}
start docker 0x1601 "$MKIPC"
start ctrd 0x1602 "$MKIPC"
start crio 0x1603 "$MKIPC"
start podman 0x1604 "$MKIPC"
start nspawn 0x1605 "$MKIPC"
start lxc 0x1606 "$MKIPC"
start own 0x1690 unshare --ipc "$MKIPC"	# unshare execs mkipc: the pid is the helper's

# the oracle: what the kernel says of each helper's cgroup
is "$(grep '^0::' "/proc/$P_ctrd/cgroup" | sed "s|^0::.*/ipci-test-[0-9a-f]*\.slice/||")" \
	"$POD_SLICE/cri-containerd-$ID_CTRD.scope" "the kernel puts the containerd helper in its leaf"
NS_OWN=$(stat -Lc %i "/proc/$P_own/ns/ipc")
[ "$NS_OWN" != "$(stat -Lc %i /proc/self/ns/ipc)" ] || bail "unshare --ipc made no namespace"

# ============================================================================
# 1. JSON: every helper's entry, exactly.
# ============================================================================
ipci -J -t shm,pshm
is "$rc|$(err)" "0|" "list -J: exit 0, nothing on stderr"
entry() {	# entry NAME: runtime|id|name|pod|qos|unit|slice of helper NAME
	local p=P_$1
	out | jq -r --argjson pid "${!p}" '.processes[] | select(.pid == $pid) |
		[.container.runtime, .container.id, .container.name, .pod.uid, .pod.qos, .unit,
		 .slice, (.cgroup | sub(".*/ipci-test-[0-9a-f]*\\.slice"; "BASE"))] |
		map(. // "null") | join("|")'
}
B=BASE
is "$(entry docker)" "docker|$ID_DOCKER|null|null|null|docker-$ID_DOCKER.scope|${BASE##*/}|$B/docker-$ID_DOCKER.scope" \
	"docker-ID.scope: runtime docker, the full id, its unit and slice, no pod"
is "$(entry ctrd)" "containerd|$ID_CTRD|null|$POD|burstable|cri-containerd-$ID_CTRD.scope|$POD_SLICE|$B/$POD_SLICE/cri-containerd-$ID_CTRD.scope" \
	"kubepods-burstable-pod<uid>.slice/cri-containerd-ID.scope: containerd, the pod UID with '-', burstable"
is "$(entry crio)" "crio|$ID_CRIO|null|null|null|crio-$ID_CRIO.scope|${BASE##*/}|$B/crio-$ID_CRIO.scope" \
	"crio-ID.scope: runtime crio"
is "$(entry podman)" "podman|$ID_PODMAN|null|null|null|libpod-$ID_PODMAN.scope|${BASE##*/}|$B/libpod-$ID_PODMAN.scope" \
	"libpod-ID.scope: runtime podman"
# (in JSON strings a backslash is written as two, ipcinspect-json(5))
is "$(entry nspawn)" "nspawn|null|web-1|null|null|machine-web\\\\x2d1.scope|${BASE##*/}|$B/machine-web\\\\x2d1.scope" \
	"machine-NAME.scope: nspawn, the name with systemd's escape decoded"
is "$(entry lxc)" "lxc|null|box|null|null|null|${BASE##*/}|$B/lxc.payload.box" \
	"lxc.payload.NAME: lxc, its name, no unit"

# ============================================================================
# 2. The table: -o UNIT,CONTAINER for the segments and the POSIX objects.
# ============================================================================
ipci -t shm --raw -o KEY,CONTAINER,UNIT
is "$rc|$(out)" "0|KIND KEY CONTAINER UNIT
shm 0x00001601 docker:abcd00010123 docker-$ID_DOCKER.scope
shm 0x00001602 containerd:c0de00020123 cri-containerd-$ID_CTRD.scope
shm 0x00001603 crio:c11000030123 crio-$ID_CRIO.scope
shm 0x00001604 podman:90d000040123 libpod-$ID_PODMAN.scope
shm 0x00001605 nspawn:web-1 machine-web\\x5cx2d1.scope
shm 0x00001606 lxc:box -" \
	"-o KEY,CONTAINER,UNIT: each segment's holder's container (12 hex digits) and unit"
ipci -t pshm --raw -n -o NAME,CONTAINER
is "$rc|$(out | sort)" "0|pshm crio crio:c11000030123
pshm ctrd containerd:c0de00020123
pshm docker docker:abcd00010123
pshm lxc lxc:box
pshm nspawn nspawn:web-1
pshm own docker:abcd00050123
pshm podman podman:90d000040123" \
	"-t pshm -o NAME,CONTAINER: the holders' containers (the /dev/shm of our mount namespace)"
ipci -J -t shm -o ID,UNIT,CONTAINER --key 0x1602
is "$rc|$(out | jq -c '.shm')" "0|[{\"id\":1,\"unit\":[\"cri-containerd-$ID_CTRD.scope\"],\"container\":[\"containerd:c0de00020123\"]}]" \
	"-J -o UNIT,CONTAINER: arrays of strings"

# ============================================================================
# 3. --container: the IPC namespace of the helper in a namespace of its own.
# ============================================================================
ipci --container abcd0005 -t shm --raw -n -o KEY,CONTAINER
is "$rc|$(out)|$(err)" "0|shm 0x00001690 docker:abcd00050123|" \
	"--container ID-PREFIX: that container's namespace, its segment only"
ipci --container "docker-$ID_OWN.scope" -J -t shm
is "$rc|$(out | jq -c '[.ipc_ns, [.shm[].key]]')" "0|[$NS_OWN,[\"0x00001690\"]]" \
	"--container UNIT: the same namespace"
ipci --container ABCD00050123 -t shm --raw -n -o KEY
is "$rc|$(out)" "0|shm 0x00001690" "--container: an id prefix in upper case is the same"
ipci --container abcd -t shm
msg=$(err)
ok "$([ "$rc" -eq 2 ] && [ "$(err | wc -l)" -eq 1 ] && case $msg in
	"ipcinspect: 'abcd' matches more than one container: "*) true ;; *) false ;; esac &&
	case $msg in *docker:abcd00010123*) true ;; *) false ;; esac &&
	case $msg in *docker:abcd00050123*) true ;; *) false ;; esac; echo $?)" \
	"--container PREFIX-OF-TWO: exit 2, one line naming both ($msg)"
ipci --container ffff9999 -t shm
is "$rc|$(err)|$(out)" "2|ipcinspect: no container matches 'ffff9999'|" \
	"--container with no match: exit 2, one line"
ipci --container abc -t shm
is "$rc|$(err)" "2|ipcinspect: no container matches 'abc'" \
	"--container: 3 hex digits are no prefix (nor a name here)"
ipci --container abcd0005 --all-namespaces -t shm
is "$rc|$(err | head -n 1)" "2|ipcinspect: --container and --all-namespaces cannot be used together" \
	"--container refuses --all-namespaces"

# ============================================================================
# 4. --all-namespaces: the section of that namespace names its container.
# ============================================================================
ipci --all-namespaces -J -t shm
is "$rc|$(out | jq -c --argjson ns "$NS_OWN" '.namespaces[] | select(.ipc_ns == $ns) |
	[.pid, .container, .unit, [.shm[].key]]')" \
	"0|[$P_own,{\"runtime\":\"docker\",\"id\":\"$ID_OWN\",\"name\":null},\"docker-$ID_OWN.scope\",[\"0x00001690\"]]" \
	"--all-namespaces -J: the section's container and unit, from its process"
ipci --all-namespaces -t shm -o KEY
is "$rc|$(out | grep '^== ')" "0|== IPC namespace $NS_OWN, container docker:abcd00050123 (process $P_own mkipc)" \
	"--all-namespaces: the heading names the container"

# ============================================================================
# 5. A container with a /dev/shm of its own (a mount namespace and a tmpfs,
#    as docker gives each container): seen from outside through its root,
#    with --container, --all-namespaces, and clean there.
# ============================================================================
ID_PRIV=$(hex64 beef0006)
leaf priv "docker-$ID_PRIV.scope"
# shellcheck disable=SC2016 # the inner shell expands them
start priv 0x1691 unshare --ipc --mount --propagation private \
	sh -c 'mount -t tmpfs ipci-priv /dev/shm && exec "$0" "$@"' "$MKIPC" \
	pshm:free,path=/privfree,size=8
NS_PRIV=$(stat -Lc %i "/proc/$P_priv/ns/ipc")
[ "$(stat -Lc %i "/proc/$P_priv/ns/mnt")" != "$(stat -Lc %i /proc/self/ns/mnt)" ] ||
	bail "unshare --mount made no mount namespace"
[ ! -e /dev/shm/priv ] && [ ! -e /dev/shm/privfree ] || bail "the container's /dev/shm is ours"
ipci --container beef0006 -J -t shm,pshm
is "$rc|$(out | jq -c '[.ipc_ns, [.shm[].key], ([.pshm[] | [.name, [.holders[].pid]]] | sort)]')" \
	"0|[$NS_PRIV,[\"0x00001691\"],[[\"priv\",[$P_priv]],[\"privfree\",[]]]]" \
	"--container: its segment and the POSIX objects of its own /dev/shm, with their holder"
ipci --all-namespaces -J -t shm,pshm
is "$rc|$(out | jq -c --argjson ns "$NS_PRIV" '.namespaces[] | select(.ipc_ns == $ns) |
	[.container.id, [.shm[].key], ([.pshm[].name] | sort)]')|$(out | jq -c '[.pshm[].name] | map(select(startswith("priv")))')" \
	"0|[\"$ID_PRIV\",[\"0x00001691\"],[\"priv\",\"privfree\"]]|[]" \
	"--all-namespaces: the container's section has its /dev/shm objects; our own listing does not"
ipci --container beef0006 clean -t pshm --suspects --include-root --min-age 0 --yes --no-syslog
is "$rc|$(ls "/proc/$P_priv/root/dev/shm" | tr '\n' ' ')" "0|priv " \
	"clean --container: the object nobody holds is removed from the container's /dev/shm, the held one stays"

done_testing
