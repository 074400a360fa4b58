package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
)

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, log *slog.Logger) error {
	var username, unit, role string
	var memberID int64
	var fromStdin bool
	f, _, err := subcommand("user add", "usage: sotay user add --username U --unit ID --role ROLE [--member ID] [--password-stdin]", stderr, args, func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "the user name")
		fs.StringVar(&unit, "unit", "", "the unit (id or code) where the role is held")
		fs.StringVar(&role, "role", "", "admin, office, standing_committee, committee, cell_officer or member")
		fs.Int64Var(&memberID, "member", 0, "the member record this account belongs to")
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input")
	})
	if err != nil {
		return err
	}
	if username == "" || role == "" {
		return usageError{"--username and --role are required"}
	}
	if !fromStdin {
		return usageError{"give the password on standard input with --password-stdin (never on the command line)"}
	}
	pw, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return err
	}
	pw = strings.TrimRight(pw, "\r\n")
	a, u, err := openAppAt(ctx, f, log, unit)
	if err != nil {
		return err
	}
	defer a.Close()
	in := auth.CreateInput{Username: username, Password: pw, Roles: []auth.Grant{{UnitID: u.ID, Role: auth.Role(role)}}}
	if memberID != 0 {
		in.MemberID = &memberID
	}
	acc, err := a.Auth.CreateAccount(ctx, auth.SystemActor(), in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Created account %s (id %d): %s on %s.\n", acc.Username, acc.ID, role, u.Name)
	return nil
}
