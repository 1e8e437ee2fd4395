/**
 * The {@code tlsxtractor} command: the 1.x command line (same flags, defaults, messages and exit codes, see
 * {@code shared/V1-COMPAT.md}) and the v2 subcommands. Classes here only parse, validate and wire; the work is done
 * by the modules they call.
 */
package io.tlsxtractor.command;
