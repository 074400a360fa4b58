// Command sotay is the party organisation's handbook and operations system.
package main

import (
	"os"

	"github.com/sotay-vn/sotay/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
