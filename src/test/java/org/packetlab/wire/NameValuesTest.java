package org.packetlab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.packetlab.wire.NameValues.Syntax;

class NameValuesTest {

    @Test
    void parsesPairsInOrderAndWritesThemBack() {
        NameValues x = NameValues.parse("sni_key=abc;controller_addr=1.2.3.4:20556;", Syntax.XDESCR);
        assertThat(x.pairs()).extracting(NameValues.Pair::name).containsExactly("sni_key", "controller_addr");
        assertThat(x.get("controller_addr")).contains("1.2.3.4:20556");
        assertThat(x.toString()).isEqualTo("sni_key=abc;controller_addr=1.2.3.4:20556;");
    }

    @Test
    void emptyStringIsWellFormedAndAPairWithoutSemicolonIsNot() {
        assertThat(NameValues.isWellFormed("", Syntax.DATTR)).isTrue();
        assertThat(NameValues.isWellFormed("a=b", Syntax.DATTR)).isFalse();
        assertThat(NameValues.isWellFormed("=b;", Syntax.DATTR)).isFalse();
        assertThat(NameValues.isWellFormed("a=b=c;", Syntax.DATTR)).isFalse();
    }

    @Test
    void wildcardsOnlyInXdescrAndDuplicatesOnlyInXdescr() {
        assertThat(NameValues.isWellFormed("hostid=ep-*;", Syntax.XDESCR)).isTrue();
        assertThat(NameValues.isWellFormed("hostid=ep-*;", Syntax.DATTR)).isFalse();
        assertThat(NameValues.isWellFormed("c=USA;c=CAN;", Syntax.XDESCR)).isTrue();
        assertThatThrownBy(() -> NameValues.parse("c=USA;c=CAN;", Syntax.DATTR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate name \"c\"");
    }

    @Test
    void certLimitNamesMayBeMarkedOptional() {
        assertThat(NameValues.isWellFormed("*my_limit=1;", Syntax.CERT_LIMIT)).isTrue();
        assertThat(NameValues.isWellFormed("*my_limit=1;", Syntax.CERT_INFO)).isFalse();
    }

    @Test
    void matchingFollowsTheBrokerPredicate() {
        NameValues x = NameValues.parse("hostid=ep-*;sni_key=k;", Syntax.XDESCR);
        assertThat(NameValues.matches(x, NameValues.parse("hostid=ep-1;", Syntax.DATTR))).isTrue();
        assertThat(NameValues.matches(x, NameValues.parse("hostid=x;", Syntax.DATTR))).isFalse();
        assertThat(NameValues.matches(x, NameValues.empty(Syntax.DATTR))).isTrue();
        assertThat(NameValues.matches(x, NameValues.parse("country=USA;", Syntax.DATTR))).isTrue();
    }

    @Test
    void globMatchesWholeStrings() {
        assertThat(NameValues.globMatches("a*c", "abbbc")).isTrue();
        assertThat(NameValues.globMatches("a?c", "abc")).isTrue();
        assertThat(NameValues.globMatches("a?c", "ac")).isFalse();
        assertThat(NameValues.globMatches("*", "")).isTrue();
        assertThat(NameValues.globMatches("ab", "abc")).isFalse();
    }

    @Test
    void snikeysAreLowercaseAlphanumericUpTo63() {
        assertThat(Snikey.isValid("abc123")).isTrue();
        assertThat(Snikey.isValid("ABC")).isFalse();
        assertThat(Snikey.isValid("a".repeat(64))).isFalse();
        assertThat(Snikey.random().value()).hasSize(63).matches("[a-z0-9]+");
    }
}
