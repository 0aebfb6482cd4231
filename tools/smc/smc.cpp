//===- smc.cpp - the smc driver -------------------------------------------===//

#include "tools/lib/InitSmc.h"

int main(int argc, char **argv) { return 0; }
