/**
 * The user guide's code: each {@link io.concurrence.docs.Snippet} method is run by the build, and the Markdown
 * pages under {@code docs/} include regions of these files (see {@code docs/development.md}, "Tested snippets").
 */
@NullMarked
package io.concurrence.docs;

import org.jspecify.annotations.NullMarked;
