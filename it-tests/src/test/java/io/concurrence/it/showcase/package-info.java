/** The showcase example's diagnostics: its JSON, and its page driven in headless Chromium. */
@NullMarked
package io.concurrence.it.showcase;

import org.jspecify.annotations.NullMarked;
