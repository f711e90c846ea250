#include "server/cli.h"

int main(int argc, char** argv) { return hoglet::server::RunCli(argc, argv); }
