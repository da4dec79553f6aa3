/* Wine 8 has no bcryptprimitives.dll, whose ProcessPrng Rust's std (1.78+)
 * imports and calls at start-up (HashMap seeds, etc.). This stand-in, built by
 * .ci/wine-setup with mingw, fills the buffer from RtlGenRandom
 * (SystemFunction036 in advapi32), which Wine does have. Wine 9+ ships its own. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
