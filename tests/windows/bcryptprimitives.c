/* Stand-in for Windows' bcryptprimitives.dll, which Wine 8.0 does not have.
 *
 * grpcio's BoringSSL gets its random bytes from ProcessPrng (Windows 8 and later);
 * without it the first TLS connection aborts the process with 0xC0000409, which
 * shows as exit code 9. The Wine suite builds this with x86_64-w64-mingw32-gcc and
 * copies it into the prefix's system32. Real Windows has the real one.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom, advapi32 */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
