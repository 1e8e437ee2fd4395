#!/usr/bin/env python3
"""A one-way delay line in user space, for kernels without netem (sch_netem).

Reads IPv4 packets that the host routes into a TUN device, holds each one DELAY seconds, then
sends it unchanged out of a veth as an Ethernet frame addressed to the peer's MAC. Only packets to
the benchmark's range are passed on; anything else is dropped. The delay is constant, so a FIFO
keeps the order. Replies come back through the veth without delay: the round trip grows by DELAY,
as with `tc qdisc ... netem delay DELAY` on one side.

usage: netdelay.py TUN_NAME VETH_NAME PEER_MAC DELAY_MS RANGE_CIDR
"""
import collections
import fcntl
import ipaddress
import os
import select
import signal
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def main():
    tun_name, veth, peer_mac, delay_ms, cidr = sys.argv[1:6]
    delay = int(delay_ms) / 1000.0
    net = ipaddress.ip_network(cidr)
    lo, hi = int(net.network_address), int(net.broadcast_address)
    tun = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", tun_name.encode(), IFF_TUN | IFF_NO_PI))
    out = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    out.bind((veth, 0))
    src_mac = out.getsockname()[4]
    header = bytes.fromhex(peer_mac.replace(":", "")) + src_mac + b"\x08\x00"
    queue = collections.deque()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("netdelay: %s -> %s, %d ms" % (tun_name, veth, int(delay_ms)), flush=True)
    while True:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            try:
                out.send(header + queue.popleft()[1])
            except OSError:
                pass  # veth buffer full: a lost packet, as on a real link
        timeout = max(0.0, queue[0][0] - now) if queue else 1.0
        ready, _, _ = select.select([tun], [], [], timeout)
        if ready:
            now = time.monotonic()
            # Drain what is there without blocking: one select per packet would cost too much.
            for _ in range(256):
                try:
                    pkt = os.read(tun, 65535)
                except BlockingIOError:
                    break
                if len(pkt) >= 20 and pkt[0] >> 4 == 4:
                    dst = struct.unpack_from("!I", pkt, 16)[0]
                    if lo <= dst <= hi:
                        queue.append((now + delay, pkt))
                if not select.select([tun], [], [], 0)[0]:
                    break


if __name__ == "__main__":
    main()
