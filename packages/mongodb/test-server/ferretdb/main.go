// Command ferretdb-test-server runs embedded FerretDB with the SQLite backend in a fresh temporary
// directory, for the MongoDB store's tests.
//
// Usage: ferretdb-test-server [port]   (0 or nothing = ephemeral port)
//
// It binds 127.0.0.1, prints "LISTENING <port>" once ready and runs until stdin closes,
// SIGINT or SIGTERM; then it removes the temporary directory.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-test-server:", err)
		os.Exit(1)
	}
}

func run() error {
	port := "0"
	if len(os.Args) > 1 {
		port = os.Args[1]
	}

	dir, err := os.MkdirTemp("", "ferretdb-test-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	level := slog.LevelWarn
	if os.Getenv("FERRETDB_DEBUG") != "" {
		level = slog.LevelDebug
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: "127.0.0.1:" + port},
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
		Handler:  "sqlite",
		// The data is thrown away, so durability is not worth an fsync per write.
		SQLiteURL: (&url.URL{Scheme: "file", Path: dir + "/", RawQuery: "_pragma=synchronous(off)"}).String(),
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The parent holds our stdin open; when it exits (even by crashing) we stop too.
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()

	done := make(chan struct{})
	go func() {
		_ = f.Run(ctx)
		close(done)
	}()

	// MongoDBURI blocks until the listener is bound.
	u, err := url.Parse(f.MongoDBURI())
	if err != nil {
		return err
	}
	fmt.Printf("LISTENING %s\n", u.Port())

	<-done
	return nil
}
