#!/usr/bin/env bash
# shellcheck disable=SC2317 # the check functions are called through check()
# Runs the programs the gateway starts under the unit's CapabilityBoundingSet= and NoNewPrivileges=, as root, in
# throwaway network namespaces, so that a capability the unit lacks shows up here and not on a Pi in a field:
# udhcpc against a DHCP server, ip, nft (a NAT table), ip_forward, dnsmasq binding 53/67 and dropping root, and
# stopping it; and, where the kernel has PPP (/dev/ppp), a pppd call over a pty pair. Needs iproute2, nftables,
# udhcpc, dnsmasq-base, socat and ppp. Usage: sudo packaging/check-capabilities.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $(id -u) == 0 ]] || { echo "check-capabilities: run as root" >&2; exit 1; }

# The unit's bounding set, in setpriv's spelling: -all,+net_admin,...
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$here/actorgateway.service" | tr 'A-Z ' 'a-z\n' | sed -n 's/^cap_\(.*\)/+\1/p' | paste -sd, -)
bounded() { ip netns exec agcapG setpriv "--bounding-set=-all,$caps" --no-new-privs "$@"; }
work=$(mktemp -d)
chmod 0755 "$work" # the phone's dnsmasq opens its log after dropping root
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del agcapG 2>/dev/null || true
  ip netns del agcapP 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
failed=0
check() { local what=$1; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failed=1; fi; }

echo "bounding set: $caps"
ip netns add agcapG
ip netns add agcapP
ip link add agv0 type veth peer name agv1
ip link set agv0 netns agcapG
ip link set agv1 netns agcapP
ip -n agcapP addr add 192.168.77.1/24 dev agv1
ip -n agcapP link set agv1 up
ip -n agcapG link set agv0 up
ip netns exec agcapP dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file= --interface=agv1 --bind-interfaces \
  --dhcp-range=192.168.77.50,192.168.77.60,120 --no-ping --dhcp-leasefile="$work/phone.leases" --port=0 --log-facility="$work/phone.log" &
pids+=($!)
sleep 1

# shellcheck disable=SC2016 # expanded by the hook, not here
printf '#!/bin/sh\necho "hook $1 ip=${ip:-}"\n' >"$work/hook"
chmod 700 "$work/hook"
lease() { local out; out=$(bounded /usr/sbin/udhcpc -f -q -n -i agv0 -s "$work/hook" -t 5 -T 2 2>/dev/null); grep -q 'hook bound ip=192.168.77' <<<"$out"; }
check "udhcpc gets a lease" lease
check "ip addr add" bounded /usr/sbin/ip addr add 192.168.77.55/24 dev agv0
ip link add aglan type veth peer name aglanp
ip link set aglan netns agcapG
ip link set aglanp netns agcapG
lan_up() { bounded /usr/sbin/ip addr add 192.168.50.1/24 dev aglan && bounded /usr/sbin/ip link set aglan up; }
check "ip link/addr on the LAN" lan_up
nat() {
  bounded /usr/sbin/nft add table ip agcap &&
    bounded /usr/sbin/nft add chain ip agcap post '{ type nat hook postrouting priority 100; }' &&
    bounded /usr/sbin/nft add rule ip agcap post oifname agv0 masquerade
}
check "nft NAT table" nat
check "ip_forward" bounded sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'

bounded /usr/sbin/dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file= --log-facility=- --interface=aglan \
  --except-interface=lo --bind-dynamic --no-hosts --no-resolv --server=192.168.77.1 \
  --dhcp-range=192.168.50.10,192.168.50.100,3600 --dhcp-leasefile="$work/lan.leases" --dhcp-authoritative >"$work/lan.log" 2>&1 &
pids+=($!)
sleep 2
lan=$(pgrep -f "interface=aglan" | tail -1 || true)
check "dnsmasq runs and dropped root" test -n "$lan" -a "$(ps -o user= -p "${lan:-1}")" != root
binds() { local s; s=$(ip netns exec agcapG ss -lnup); grep -q ':53 ' <<<"$s" && grep -q ':67 ' <<<"$s"; }
check "dnsmasq binds 53 and 67" binds
check "dnsmasq stopped from the bounded set" bounded kill -TERM "${lan:-1}"

if [[ -c /dev/ppp ]] && command -v socat >/dev/null; then
  socat pty,raw,echo=0,link="$work/a" pty,raw,echo=0,link="$work/b" &
  pids+=($!)
  sleep 1
  ip netns exec agcapP pppd "$work/b" 115200 nodetach noauth nolock local nocrtscts 10.99.0.2:10.99.0.1 ms-dns 10.99.0.53 >"$work/peer.log" 2>&1 &
  pids+=($!)
  bounded /usr/sbin/pppd "$work/a" 115200 nodetach logfd 2 noauth nolock noipdefault ipparam cap linkname ag-cap local \
    nocrtscts defaultroute usepeerdns >"$work/pppd.log" 2>&1 &
  pids+=($!)
  sleep 6
  ppp_up() { local out; out=$(ip -n agcapG addr show ppp0 2>/dev/null); grep -q 'inet 10.99.0.1' <<<"$out"; }
  check "pppd brings up ppp0 with the peer's address" ppp_up
else
  echo "skip pppd: no /dev/ppp (a kernel without PPP) or no socat"
fi

exit "$failed"
