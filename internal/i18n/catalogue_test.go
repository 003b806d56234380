package i18n

import "testing"

func TestTextFallsBackAndFills(t *testing.T) {
	Add("en", map[string]string{"test.send": "{0} sends to {1}.", "who.testpod": "Pod {v}"})
	Add("ko", map[string]string{"test.send": "{0}이(가) {1}(으)로 보냅니다.", "who.testpod": "파드 {v}"})
	for _, c := range []struct{ lang, key, want string }{
		{"en", "test.send", "Pod web sends to 10.96.0.11:80."},
		{"ko", "test.send", "파드 web이 10.96.0.11:80으로 보냅니다."},
		{"xx", "test.send", "Pod web sends to 10.96.0.11:80."},
		{"ko", "Not in any catalogue: {0}", "Not in any catalogue: 파드 web"},
	} {
		if got := Text(c.lang, c.key, "@testpod:web", "10.96.0.11:80"); got != c.want {
			t.Errorf("Text(%s, %s) = %q, want %q", c.lang, c.key, got, c.want)
		}
	}
	if !Has("ko", "test.send") || Has("ko", "test.none") || !Known("ko") || Known("xx") {
		t.Error("Has or Known")
	}
	Add("ko", map[string]string{"test.send": "다르게"})
	if c := Conflicts("ko"); len(c) != 1 || c[0] != "test.send" {
		t.Errorf("conflicts %v", c)
	}
}
