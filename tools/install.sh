#!/usr/bin/env bash
# Installs ActorGateway as a systemd service, or removes it again.
#
#   sudo tools/install.sh [--root DIR] [--from PUBLISH_DIR] [--no-deps] [--no-enable]
#   sudo tools/install.sh --uninstall [--root DIR] [--purge]
#
# What goes where (all under --root DIR when given):
#   /opt/actorgateway/                          the self-contained program (dotnet publish output)
#   /opt/actorgateway/doc/gateway.conf          every key with its default (hocon/gateway.conf)
#   /opt/actorgateway/install-manifest          what this script put in place, for --uninstall
#   /usr/local/bin/actorgateway                 symlink to /opt/actorgateway/actorgateway
#   /etc/actorgateway/gateway.conf              a short starter file, 0600 root:root, never overwritten
#   /etc/systemd/system/actorgateway.service    the unit (packaging/actorgateway.service)
#   /etc/udev/rules.d/78-actorgateway.rules     ModemManager leaves USB modem ports alone
#   /etc/NetworkManager/conf.d/78-actorgateway.conf  NetworkManager leaves tethering and ppp alone
#   /etc/modules-load.d/actorgateway.conf       option, usbserial, ppp_async at boot (no CAP_SYS_MODULE)
#
# --root DIR   stage into DIR (as DESTDIR does): no apt-get, no systemctl, no udevadm, no nmcli
# --from DIR   install this publish output (must hold an executable "actorgateway") instead of
#              publishing with dotnet
# --no-deps    do not apt-get install the Debian packages the gateway runs
# --no-enable  install the unit but do not enable or start it
# --uninstall  stop and disable the service and remove what install put in place; keeps
#              /etc/actorgateway and /var/lib/actorgateway (PIN verdicts) unless --purge
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
packaging=$repo/packaging

# The Debian packages the gateway runs. dnsmasq-base, not dnsmasq: the gateway starts its own dnsmasq
# on the LAN interface only; the dnsmasq package would also enable a system-wide dnsmasq.service that
# binds port 53 on every interface and collides with it.
deps=(ppp usb-modeswitch usb-modeswitch-data nftables udhcpc dnsmasq-base iproute2 kmod)

prefix=/opt/actorgateway
bin_link=/usr/local/bin/actorgateway
conf_dir=/etc/actorgateway
conf=$conf_dir/gateway.conf
unit=/etc/systemd/system/actorgateway.service
udev_rule=/etc/udev/rules.d/78-actorgateway.rules
nm_conf=/etc/NetworkManager/conf.d/78-actorgateway.conf
modules_conf=/etc/modules-load.d/actorgateway.conf
manifest=$prefix/install-manifest
state_dir=/var/lib/actorgateway
service=actorgateway.service

root=""
from=""
with_deps=1
enable=1
action=install
purge=0

say() { printf 'install.sh: %s\n' "$*"; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case $1 in
    --root) (($# > 1)) || die "--root needs a directory"; root=$2; shift 2 ;;
    --root=*) root=${1#--root=}; shift ;;
    --from) (($# > 1)) || die "--from needs a publish directory"; from=$2; shift 2 ;;
    --from=*) from=${1#--from=}; shift ;;
    --no-deps) with_deps=0; shift ;;
    --no-enable) enable=0; shift ;;
    --uninstall) action=uninstall; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

if [[ -n $root ]]; then
  [[ -d $root ]] || die "--root $root: no such directory"
  root=$(cd "$root" && pwd)
  [[ $root != / ]] || root=""
fi
staged() { [[ -n $root ]]; }
is_root() { [[ $(id -u) == 0 ]]; }
if ! staged && ! is_root; then
  die "run as root (sudo $0 ...), or stage into a directory with --root DIR"
fi
if [[ $action == install && $purge == 1 ]]; then
  die "--purge only goes with --uninstall"
fi

# systemd is the init system (sd_booted(3)): only then can units be started and reloaded.
systemd_running() { [[ -d /run/systemd/system ]]; }

# The .NET runtime identifier of this machine's userland. dpkg's architecture first: 32-bit Raspberry Pi OS
# runs a 64-bit kernel on a Pi 3/4/5, so uname -m says aarch64 where an arm64 program cannot start (no arm64 libc).
host_rid() {
  local arch
  arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
  case $arch in
    amd64) arch=x86_64 ;;
    armhf|armel) arch=armv7l ;;
  esac
  case $arch in
    x86_64) echo linux-x64 ;;
    aarch64|arm64) echo linux-arm64 ;;
    armv7l|armv6l) die "32-bit ARM (armv7l/armv6l: 32-bit Raspberry Pi OS) has no build: install the 64-bit OS, or publish linux-arm elsewhere and pass --from" ;;
    *) die "no .NET build for $arch: publish elsewhere and pass --from DIR" ;;
  esac
}

# Publishes the self-contained program for RID into artifacts/publish/RID and prints that directory.
publish() {
  local rid=$1 out=$repo/artifacts/publish/$1
  command -v dotnet >/dev/null || die "dotnet not found on root's PATH: install the .NET 10 SDK, or publish as yourself (tools/publish) and pass --from DIR"
  if [[ -x $repo/tools/publish ]]; then
    "$repo/tools/publish" "$rid" >&2 || return 1
  else
    dotnet publish "$repo/src/ActorGateway.Host" -c Release -r "$rid" --self-contained -o "$out" --nologo -v quiet >&2 || return 1
  fi
  echo "$out"
}

# The ELF machine of FILE (x86-64, aarch64, arm, or empty when FILE is not ELF).
elf_machine() {
  local magic machine
  magic=$(od -An -tx1 -N4 "$1" | tr -d ' \n')
  [[ $magic == 7f454c46 ]] || return 0
  machine=$(od -An -tx1 -j18 -N1 "$1" | tr -d ' \n')
  case $machine in 3e) echo x86-64 ;; b7) echo aarch64 ;; 28) echo arm ;; *) echo "machine 0x$machine" ;; esac
}

install_deps() {
  local p missing=()
  for p in "${deps[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    say "Debian packages already installed: ${deps[*]}"
    return
  fi
  command -v apt-get >/dev/null || die "apt-get not found; install these packages by hand, then rerun with --no-deps: ${missing[*]}"
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed (no network?); rerun with --no-deps once these are installed: ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install failed for: ${missing[*]}"
}

# Lines of the manifest: "f PATH" a file or symlink we installed, "d PATH" a directory we created.
declare -a manifest_lines=()
record() { manifest_lines+=("$1 $2"); }

# Creates directory PATH (and its parents) under the root, recording each one that did not exist.
make_dir() {
  local path=$1 missing=() p
  p=$path
  while [[ -n $p && $p != / && ! -d $root$p ]]; do
    missing=("$p" "${missing[@]}")
    p=$(dirname "$p")
  done
  for p in "${missing[@]}"; do
    mkdir -m 0755 "$root$p"
    record d "$p"
  done
}

# Installs SOURCE as PATH with MODE.
put() {
  local source=$1 path=$2 mode=$3
  make_dir "$(dirname "$path")"
  install -m "$mode" "$source" "$root$path"
  if is_root; then chown root:root "$root$path"; fi
  record f "$path"
  say "installed $path"
}

previous_dirs() {
  [[ -f $root$manifest ]] || return 0
  awk '$1 == "d" { print $2 }' "$root$manifest"
}

do_install() {
  local publish_dir old_dirs
  [[ -f $packaging/actorgateway.service ]] || die "$packaging/actorgateway.service is missing: run tools/install.sh from an ActorGateway checkout"

  if ((with_deps)) && ! staged; then install_deps; fi
  if ((with_deps)) && staged; then say "--root: Debian packages not installed (${deps[*]})"; fi

  if [[ -n $from ]]; then
    publish_dir=$from
  else
    local rid
    rid=$(host_rid) || exit 1                   # host_rid has said why
    publish_dir=$(publish "$rid") || die "publishing the program for $rid failed (see above)"
  fi
  [[ -d $publish_dir ]] || die "$publish_dir: no such publish directory"
  publish_dir=$(cd "$publish_dir" && pwd)
  [[ -f $publish_dir/actorgateway && -x $publish_dir/actorgateway ]] \
    || die "$publish_dir/actorgateway is missing or not executable: not a publish directory of src/ActorGateway.Host"
  if ! staged; then
    local want have
    want=$(elf_machine /proc/self/exe)
    have=$(elf_machine "$publish_dir/actorgateway")
    [[ -z $have || $have == "$want" ]] || die "$publish_dir/actorgateway is built for $have, this machine is $want: publish for $(host_rid)"
  fi
  if [[ -e $root$bin_link || -L $root$bin_link ]] && [[ $(readlink "$root$bin_link" || true) != "$prefix/actorgateway" ]]; then
    die "$root$bin_link exists and is not the gateway's symlink: move it away first"
  fi

  # Directories created by an earlier install stay ours.
  mapfile -t old_dirs < <(previous_dirs)
  local d
  for d in "${old_dirs[@]}"; do record d "$d"; done

  # The program: a fresh copy beside the old one, then swapped in, so a failed copy leaves the old one.
  make_dir "$(dirname "$prefix")"
  rm -rf "$root$prefix.new"
  mkdir -m 0755 "$root$prefix.new"
  cp -R --preserve=mode "$publish_dir/." "$root$prefix.new/"
  rm -f "$root$prefix.new/install-manifest"
  mkdir -m 0755 "$root$prefix.new/doc"
  install -m 0644 "$repo/hocon/gateway.conf" "$root$prefix.new/doc/gateway.conf"
  if is_root; then chown -R root:root "$root$prefix.new"; fi
  chmod -R go-w "$root$prefix.new"
  if [[ -d $root$prefix ]]; then
    rm -rf "$root$prefix.old"
    mv "$root$prefix" "$root$prefix.old"
  else
    record d "$prefix"
  fi
  mv "$root$prefix.new" "$root$prefix"
  rm -rf "$root$prefix.old"
  say "installed $prefix (from $publish_dir), reference configuration $prefix/doc/gateway.conf"

  make_dir "$(dirname "$bin_link")"
  ln -sfn "$prefix/actorgateway" "$root$bin_link"
  record f "$bin_link"
  say "installed $bin_link -> $prefix/actorgateway"

  # The configuration: created once, never overwritten. 0600 root:root: it may hold a PIN or a password.
  make_dir "$(dirname "$conf_dir")"
  if [[ ! -d $root$conf_dir ]]; then
    mkdir -m 0700 "$root$conf_dir"
  fi
  if [[ -e $root$conf ]]; then
    say "kept $conf (it exists)"
    if (((8#$(stat -c %a "$root$conf") & 8#044) != 0)); then
      say "warning: $conf is readable by others (mode $(stat -c %a "$root$conf")); it may hold a PIN or password: chmod 600 $conf"
    fi
  else
    install -m 0600 "$packaging/gateway.conf" "$root$conf"
    if is_root; then chown root:root "$root$conf" "$root$conf_dir"; fi
    say "installed $conf (0600; edit it, then: systemctl reload actorgateway)"
  fi

  put "$packaging/actorgateway.service" "$unit" 0644
  put "$packaging/78-actorgateway.rules" "$udev_rule" 0644
  put "$packaging/networkmanager-actorgateway.conf" "$nm_conf" 0644
  put "$packaging/modules-load-actorgateway.conf" "$modules_conf" 0644

  # Sorted: a directory comes before what is in it, and a re-install writes the same manifest.
  printf '%s\n' "${manifest_lines[@]}" | LC_ALL=C sort -k2 -u >"$root$manifest"
  chmod 0644 "$root$manifest"

  if staged; then
    say "staged in $root: no udev, NetworkManager or systemd changes made"
    return
  fi
  tell_neighbours
  if systemd_running; then
    systemctl daemon-reload
    if ((enable)); then
      # The service cannot load modules itself (no CAP_SYS_MODULE); at boot modules-load.d does.
      modprobe -a option usbserial cdc_acm ppp_async || say "warning: could not load option, usbserial, cdc_acm, ppp_async now; they load at the next boot"
      systemctl enable "$service"
      systemctl restart "$service"
      say "enabled and started $service: journalctl -u actorgateway -f"
    else
      say "--no-enable: $service installed, not enabled (systemctl enable --now actorgateway)"
    fi
  elif ((enable)); then
    systemctl --root=/ enable "$service"
    say "systemd is not the init system here: $service enabled for the next boot, not started"
  else
    say "--no-enable: $service installed, not enabled"
  fi
}

# Makes udev, ModemManager and NetworkManager see the current rules: after install they let go of
# the gateway's devices, after uninstall they take them back.
tell_neighbours() {
  if command -v udevadm >/dev/null && [[ -S /run/udev/control ]]; then
    udevadm control --reload
    udevadm trigger --settle --action=change --subsystem-match=tty --subsystem-match=net --subsystem-match=usbmisc
    say "udev rules reloaded and USB ports re-announced"
  fi
  if systemd_running && systemctl -q is-active ModemManager.service; then
    # ModemManager decides about a port when it appears; a restart makes it decide again.
    systemctl try-restart ModemManager.service
    say "ModemManager restarted to re-read ID_MM_DEVICE_IGNORE"
  fi
  if command -v nmcli >/dev/null && nmcli -t -g RUNNING general status 2>/dev/null | grep -q running; then
    nmcli general reload conf
    say "NetworkManager reloaded its configuration (unmanaged-devices)"
  fi
}

do_uninstall() {
  local kind path dirs=() removed=0
  if [[ ! -f $root$manifest && ! -e $root$unit && ! -e $root$prefix ]]; then
    say "nothing to uninstall at ${root:-/} (no $manifest)"
  fi
  if ! staged && [[ -e $unit ]]; then
    if systemd_running; then
      systemctl disable --now "$service" || true
    else
      systemctl --root=/ disable "$service" 2>/dev/null || true
    fi
  fi

  # Exactly what the manifest names, plus the fixed paths (an install cut short has no manifest).
  local -a files=("$unit" "$udev_rule" "$nm_conf" "$modules_conf")
  if [[ -f $root$manifest ]]; then
    while read -r kind path; do
      case $kind in
        f) files+=("$path") ;;
        d) dirs+=("$path") ;;
      esac
    done <"$root$manifest"
  fi
  if [[ -L $root$bin_link && $(readlink "$root$bin_link") == "$prefix/actorgateway" ]]; then
    rm -f "$root$bin_link"
    say "removed $bin_link"
  fi
  for path in "${files[@]}"; do
    [[ $path == "$bin_link" ]] && continue
    if [[ -e $root$path || -L $root$path ]]; then
      rm -f "$root$path"
      say "removed $path"
      removed=1
    fi
  done
  if [[ -d $root$prefix ]]; then
    rm -rf "$root$prefix"
    say "removed $prefix"
    removed=1
  fi
  if ((purge)); then
    rm -rf "$root$conf_dir" "$root$state_dir"
    say "--purge: removed $conf_dir and $state_dir"
  else
    [[ -e $root$conf_dir ]] && say "kept $conf_dir (the configuration; --purge removes it)"
    [[ -e $root$state_dir ]] && say "kept $state_dir (PIN verdicts: a reinstall never retries a rejected PIN; --purge removes it)"
  fi

  # Directories we created, deepest first, when nothing else is in them now.
  local i
  for ((i = ${#dirs[@]} - 1; i >= 0; i--)); do
    [[ ${dirs[i]} == "$prefix" ]] && continue
    rmdir "$root${dirs[i]}" 2>/dev/null || true
  done

  if staged; then
    return
  fi
  if systemd_running; then systemctl daemon-reload; fi
  ((removed)) && tell_neighbours
  say "uninstalled; ModemManager and NetworkManager may take USB modems and tethering interfaces again"
}

case $action in
  install) do_install ;;
  uninstall) do_uninstall ;;
esac
