#!/usr/bin/env bash
# Run a command the way a new user would: on a fresh Debian 12 (bookworm)
# with only git installed, in a clean clone of this repository's committed
# HEAD, as root.  Nothing installed on this machine is visible inside, so a
# step missing from tools/install-deps.sh fails here as it would for a user.
#
#   sudo bash tools/fresh-debian.sh 'bash tools/test.sh'
#
# How: a debootstrap --variant=minbase system with git (built once into
# OCCAM_FRESH_CACHE, default /var/cache/occam/bookworm-minbase, and never
# changed afterwards) is copied to a new directory under /var/tmp; the
# repository is cloned into /home/user/project there (and ../shared, when it
# exists beside the repository, copied to /home/user/shared); the command
# runs under chroot with an empty environment (HOME, PATH, CI=true), in its
# own mount and PID namespaces (unshare), so that /proc, /sys and /dev are
# mounted for it alone and every process it starts ends with it.  The copy
# is deleted afterwards (OCCAM_FRESH_KEEP=1 keeps it, to look inside).
# Needs root and the Debian mirror this machine's apt uses; installs
# debootstrap on this machine when it is missing.  Exit status: the
# command's.
set -euo pipefail
cmd=${1:?usage: tools/fresh-debian.sh 'COMMAND'  (run as root)}
repo=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "fresh-debian: needs root (debootstrap, chroot, mount)" >&2; exit 2; }
cache=${OCCAM_FRESH_CACHE:-/var/cache/occam/bookworm-minbase}
say() { echo "fresh-debian: $*"; }
start=$(date +%s)

mirror() {
  local m=""
  [ -f /etc/apt/sources.list.d/debian.sources ] &&
    m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  [ -n "$m" ] || [ ! -f /etc/apt/sources.list ] || m=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list)
  echo "${m:-http://deb.debian.org/debian}"
}

# The pristine base system: built once, then only ever copied.
build_base() {
  command -v debootstrap > /dev/null || {
    say "installing debootstrap on this machine"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap > /dev/null
  }
  local tmp=$cache.partial m
  m=$(mirror)
  say "building a Debian 12 minbase system with git from $m (once; kept in $cache)"
  rm -rf "$tmp" && mkdir -p "$(dirname "$cache")"
  if ! debootstrap --variant=minbase --include=git,ca-certificates bookworm "$tmp" "$m" > "$tmp.log" 2>&1; then
    tail -20 "$tmp.log" >&2; say "debootstrap failed (log: $tmp.log)" >&2; exit 1
  fi
  # the apt sources of a fresh Debian 12: bookworm, its updates and security
  rm -f "$tmp/etc/apt/sources.list"
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    cp /etc/apt/sources.list.d/debian.sources "$tmp/etc/apt/sources.list.d/"
  else
    printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: %s\n\n' \
      "$m" /usr/share/keyrings/debian-archive-keyring.gpg > "$tmp/etc/apt/sources.list.d/debian.sources"
  fi
  rm -rf "$cache" "$tmp.log" && mv "$tmp" "$cache" && touch "$cache/.occam-complete"
}
[ -e "$cache/.occam-complete" ] || build_base

mkdir -p /var/tmp
work=$(mktemp -d /var/tmp/occam-fresh.XXXXXX)
root=$work/root
cleanup() {
  if [ "${OCCAM_FRESH_KEEP:-0}" = 1 ]; then say "kept $root"; return; fi
  # the mounts lived in the command's own namespace; never delete through one
  if findmnt -rn -o TARGET | grep -q "^$work"; then say "$work still has mounts: not deleted" >&2; return; fi
  rm -rf "$work"
}
trap cleanup EXIT
cp -a "$cache" "$root"
rm -f "$root/.occam-complete"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2> /dev/null || true
mkdir -p "$root/home/user"
git clone -q "$repo" "$root/home/user/project"
[ ! -d "$repo/../shared" ] || cp -r "$repo/../shared" "$root/home/user/shared"
say "running '$cmd' in a clean clone of $(git -C "$repo" rev-parse --short HEAD) on a fresh Debian 12 ($root)"

set +e
unshare --mount --pid --fork --propagation private /bin/bash -c '
  set -e
  root=$1; cmd=$2
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --rbind /dev "$root/dev"
  exec chroot "$root" /usr/bin/env -i HOME=/root CI=true \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /home/user/project && $cmd"' fresh-debian "$root" "$cmd"
rc=$?
set -e
elapsed=$(($(date +%s) - start))
say "'$cmd' exited $rc after $((elapsed / 60)) min $((elapsed % 60)) s"
exit $rc
