#include <cstdio>
int main() { std::puts("localddb: under construction"); return 0; }
