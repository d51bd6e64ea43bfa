/**
 * Reports of a replay: a self-contained HTML page of charts (inline SVG, no network loads) and
 * the allocation chart as a PNG, drawn with XChart.
 */
@NullMarked
package io.flexsched.sim.report;

import org.jspecify.annotations.NullMarked;
