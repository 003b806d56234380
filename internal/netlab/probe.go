package netlab

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/svcviz/svcviz/netsim"
)

// Timeout is how long a probe waits for an answer before it calls the packet dropped. Answers
// inside namespaces come in well under a millisecond; the margin is for a loaded machine.
var Timeout = 500 * time.Millisecond

// Observation is what the kernel did with one probe, as the sender and the node saw it.
type Observation struct {
	Verdict netsim.Verdict // delivered, refused, rejected or dropped
	Pod     string         // "NAMESPACE/NAME" of the Pod that answered
	Seen    netip.AddrPort // the source address and port the Pod saw
	// ReplyFrom is the reply's source as the sender saw it: the answer's for a delivered packet,
	// the RST's (the address dialled) for TCP, the ICMP error's otherwise.
	ReplyFrom netip.Addr
	ICMP      bool     // the answer was an ICMP destination unreachable
	Conntrack *CTEntry // the entry-node's conntrack entry for the probe, if any
	Err       string   // the socket error, for reports
}

func (o Observation) String() string {
	s := string(o.Verdict)
	if o.Pod != "" {
		s += " pod=" + o.Pod + " seen=" + o.Seen.String()
	}
	if o.ReplyFrom.IsValid() {
		s += " reply-from=" + o.ReplyFrom.String()
	}
	if o.ICMP {
		s += " (icmp)"
	}
	if o.Conntrack != nil {
		s += " ct=[" + o.Conntrack.String() + "]"
	}
	return s
}

// Probe is one packet to send.
type Probe struct {
	From  NS
	Src   netip.Addr // the sender's address; invalid lets the kernel choose (a node's own process)
	Sport uint16
	Dst   netip.AddrPort
	Proto string // "TCP" or "UDP"
}

// icmpHit is an ICMP destination-unreachable that quotes the probe.
type icmpHit struct{ from netip.Addr }

// Send sends the probe and waits for the answer. The raw ICMP socket opened first in the
// sender's namespace tells an ICMP error (a REJECT rule, a closed UDP port) from a TCP RST,
// which the TCP socket reports alike as "connection refused".
func Send(p Probe) (Observation, error) {
	var icmp *net.IPConn
	if err := p.From.Do(func() error {
		c, err := net.ListenIP("ip4:icmp", nil)
		icmp = c
		return err
	}); err != nil {
		return Observation{}, fmt.Errorf("raw ICMP socket in %s: %w", p.From.Name, err)
	}
	defer icmp.Close()
	hits := make(chan icmpHit, 1)
	_ = icmp.SetReadDeadline(time.Now().Add(Timeout + 200*time.Millisecond))
	go watchICMP(icmp, p, hits)
	switch p.Proto {
	case "TCP":
		return sendTCP(p, hits)
	case "UDP":
		return sendUDP(p, hits)
	}
	return Observation{}, fmt.Errorf("the lab cannot send %s", p.Proto)
}

func watchICMP(c *net.IPConn, p Probe, hits chan<- icmpHit) {
	buf := make([]byte, 1500)
	for {
		n, from, err := c.ReadFromIP(buf)
		if err != nil {
			return
		}
		if quotesProbe(buf[:n], p) {
			addr, _ := netip.AddrFromSlice(from.IP.To4())
			hits <- icmpHit{from: addr}
			return
		}
	}
}

// quotesProbe reports whether an ICMP message is a destination unreachable about the probe:
// the quoted IP header's protocol and transport source port are the probe's.
func quotesProbe(m []byte, p Probe) bool {
	if len(m) < 8+20+4 || m[0] != 3 {
		return false
	}
	inner := m[8:]
	ihl := int(inner[0]&0x0f) * 4
	if len(inner) < ihl+4 {
		return false
	}
	proto := map[string]byte{"TCP": 6, "UDP": 17}[p.Proto]
	sport := uint16(inner[ihl])<<8 | uint16(inner[ihl+1])
	return inner[9] == proto && sport == p.Sport
}

func (p Probe) local(network string) net.Addr {
	ip := net.IPv4zero
	if p.Src.IsValid() {
		ip = net.IP(p.Src.AsSlice())
	}
	if network == "tcp" {
		return &net.TCPAddr{IP: ip, Port: int(p.Sport)}
	}
	return &net.UDPAddr{IP: ip, Port: int(p.Sport)}
}

func sendTCP(p Probe, hits <-chan icmpHit) (Observation, error) {
	var conn net.Conn
	var dialErr error
	d := net.Dialer{LocalAddr: p.local("tcp"), Timeout: Timeout}
	if err := p.From.Do(func() error {
		conn, dialErr = d.Dial("tcp4", p.Dst.String())
		return nil
	}); err != nil {
		return Observation{}, err
	}
	if dialErr != nil {
		return failed(dialErr, p, hits), nil
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(Timeout))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return Observation{Verdict: netsim.Dropped, Err: "connected, no answer: " + err.Error()}, nil
	}
	return answered(line, p.Dst.Addr())
}

// failed classifies a connect that did not succeed: an ICMP error quoting the probe, or a
// RST (refused by whatever holds the address), or nothing at all (dropped).
func failed(err error, p Probe, hits <-chan icmpHit) Observation {
	o := Observation{Err: err.Error()}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		select {
		case h := <-hits:
			o.Verdict, o.ICMP, o.ReplyFrom = netsim.Rejected, true, h.from
			return o
		case <-time.After(30 * time.Millisecond): // a raw socket has its copy before the TCP socket its error
		}
		if errors.Is(err, syscall.ECONNREFUSED) {
			o.Verdict, o.ReplyFrom = netsim.Refused, p.Dst.Addr()
			return o
		}
	}
	o.Verdict = netsim.Dropped
	return o
}

func sendUDP(p Probe, hits <-chan icmpHit) (Observation, error) {
	var conn *net.UDPConn
	if err := p.From.Do(func() (err error) {
		conn, err = net.ListenUDP("udp4", p.local("udp").(*net.UDPAddr))
		return err
	}); err != nil {
		return Observation{}, err
	}
	defer conn.Close()
	if _, err := conn.WriteToUDPAddrPort([]byte("svcviz netlab probe\n"), p.Dst); err != nil {
		// A node's own datagram that a REJECT in filter OUTPUT stops fails at once (EPERM),
		// and the REJECT's ICMP error still comes back.
		o := failed(err, p, hits)
		if errors.Is(err, syscall.EPERM) {
			select {
			case h := <-hits:
				o.Verdict, o.ICMP, o.ReplyFrom = netsim.Rejected, true, h.from
			case <-time.After(30 * time.Millisecond):
			}
		}
		return o, nil
	}
	type reply struct {
		line string
		from netip.AddrPort
		err  error
	}
	replies := make(chan reply, 1)
	go func() {
		buf := make([]byte, 512)
		_ = conn.SetReadDeadline(time.Now().Add(Timeout))
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		replies <- reply{string(buf[:n]), from, err}
	}()
	select {
	case h := <-hits:
		_ = conn.SetReadDeadline(time.Now())
		return Observation{Verdict: netsim.Rejected, ICMP: true, ReplyFrom: h.from}, nil
	case r := <-replies:
		if r.err != nil {
			return Observation{Verdict: netsim.Dropped, Err: r.err.Error()}, nil
		}
		return answered(r.line, r.from.Addr().Unmap())
	}
}

// answered parses a listener's "NAMESPACE/NAME SRC" line.
func answered(line string, from netip.Addr) (Observation, error) {
	name, src, ok := strings.Cut(strings.TrimSpace(line), " ")
	seen, err := netip.ParseAddrPort(src)
	if !ok || err != nil {
		return Observation{}, fmt.Errorf("listener answered %q", line)
	}
	return Observation{Verdict: netsim.Delivered, Pod: name, Seen: seen, ReplyFrom: from}, nil
}
