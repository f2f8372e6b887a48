/** Results of experiment runs: one record per endpoint, collected per run, rendered as text, HTML and CSV tables. */
package org.packetlab.results;
