# shellcheck shell=bash
# Sourced: adds the sbin folders to PATH when a minimal environment (a clean CI shell, cron) left
# them out. The scripts need administration commands found only there: useradd for Elasticsearch's
# own user, mariadbd, and the ldconfig that apt-get runs when it installs a package.
for admin_dir in /usr/local/sbin /usr/sbin /sbin; do
  case ":$PATH:" in
    *":$admin_dir:"*) ;;
    *) if [ -d "$admin_dir" ]; then PATH="$PATH:$admin_dir"; fi ;;
  esac
done
unset admin_dir
export PATH
