/*
 * Runs the ClickHouse engine inside libchdb.so as a server process: chdb_query_cmdline takes
 * clickhouse-local's command line, and the caller's query opens the HTTP and native listeners
 * (SYSTEM START LISTEN) then keeps the process busy until it is stopped by signal.
 * Built by ClickHouseProcess with the machine's gcc; linked against libchdb.so with an rpath
 * so that it finds the library without LD_LIBRARY_PATH.
 */
#include <stdio.h>

struct local_result_v2;

extern struct local_result_v2 *chdb_query_cmdline(int argc, char **argv);

int main(int argc, char **argv) {
    /* argv[0] stays the program name: clickhouse-local parses argv[1..] as its options. */
    struct local_result_v2 *result = chdb_query_cmdline(argc, argv);
    if (result == NULL) {
        fprintf(stderr, "chdb_query_cmdline returned no result\n");
        return 2;
    }
    fprintf(stderr, "chdb_query_cmdline returned: the server query ended\n");
    return 1;
}
