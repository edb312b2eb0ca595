# SPDX-License-Identifier: MIT
# Cross-compiling for arm64 (Raspberry Pi OS 64-bit, Debian 12) on an amd64
# Debian: Debian's gcc-aarch64-linux-gnu and the arm64 -dev packages
# installed through multiarch (scripts/deps.sh arm64). The tests run under
# qemu-user (CMAKE_CROSSCOMPILING_EMULATOR; ctest prefixes it).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# Only the arm64 libraries and headers: the multiarch folders, never amd64's.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
# The arm64 loader and libraries are where multiarch put them
# (/lib/ld-linux-aarch64.so.1, /usr/lib/aarch64-linux-gnu), so qemu needs no -L.
find_program(TW_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(TW_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${TW_QEMU_AARCH64})
endif()
