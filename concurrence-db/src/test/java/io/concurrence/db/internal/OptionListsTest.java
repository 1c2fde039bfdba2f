package io.concurrence.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionListsTest {

    @Test
    void splitTrimsItemsAndDropsEmptyOnes() {
        assertThat(OptionLists.split("tlsVersion", " TLSv1.2 ,, TLSv1.3 , ")).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(OptionLists.split("tlsVersion", "  ")).isEmpty();
    }

    @Test
    void splitKeepsCommasInsideQuotesWithEscapesAndInsideParentheses() {
        assertThat(OptionLists.split("sessionVariables", "@a='x\\',y',@b=\"p,q\",@c=IF(1,(2),3)"))
                .containsExactly("@a='x\\',y'", "@b=\"p,q\"", "@c=IF(1,(2),3)");
    }

    @Test
    void splitWithUnbalancedParenthesesThrowsNamingTheOption() {
        assertThatThrownBy(() -> OptionLists.split("sessionVariables", "@c=IF(1,2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option sessionVariables='@c=IF(1,2' has a '(' without its ')'");
        assertThatThrownBy(() -> OptionLists.split("sessionVariables", "@c=1),@d=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has a ')' without its '('");
    }
}
