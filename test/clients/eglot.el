;;; eglot.el --- drive the language server from Emacs' eglot, in batch  -*- lexical-binding: t -*-
;;
;;   emacs --batch -l test/clients/eglot.el   (no -Q: Debian loads elpa-eglot from site-start)
;;
;; Environment: SERVER_JS (dist/server.js), MANIFEST (a stripe-app.json copy to edit), RESULT
;; (a JSON file this script writes). eglot runs as a new user has it (Debian's elpa-eglot, no
;; yasnippet, no markdown-mode), except that server-initiated edits are applied without a
;; confirmation prompt (batch mode cannot answer one). Every wait is on the server's answer or
;; notification, with a deadline; the final buffer text goes into RESULT.

(package-initialize)
(require 'eglot)
(require 'json)
(require 'cl-lib)

(defconst stripe-test-deadline 20 "Seconds any awaited answer may take.")
(defvar stripe-test-result nil "An alist written to RESULT as JSON.")
(defvar stripe-test-published nil "The publishDiagnostics notifications, newest first.")

(defun stripe-test-put (key value)
  (setq stripe-test-result (cons (cons key value) stripe-test-result)))

(defun stripe-test-wait (what predicate)
  "Process the server's output until PREDICATE holds, or fail after the deadline."
  (let ((deadline (+ (float-time) stripe-test-deadline)))
    (while (not (funcall predicate))
      (when (> (float-time) deadline) (error "Timed out waiting for %s" what))
      (accept-process-output nil 0.05))))

(defun stripe-test-goto-after (needle &optional delta)
  (goto-char (point-min))
  (unless (search-forward needle nil t) (error "Not in the buffer: %s" needle))
  (forward-char (or delta 0)))

(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (when (eq method 'textDocument/publishDiagnostics)
                (push params stripe-test-published))))

(defun stripe-test-run ()
  (let ((server-js (getenv "SERVER_JS"))
        (manifest (getenv "MANIFEST")))
    (setq eglot-confirm-server-initiated-edits nil)
    (find-file manifest)
    (js-mode)
    (setq eglot-server-programs `((js-mode . ("node" ,server-js "--stdio"))))
    (apply #'eglot (eglot--guess-contact))
    (let ((server (eglot-current-server)))
      (stripe-test-wait "the server" (lambda () (and server (eglot--server-capable :hoverProvider))))
      ;; Diagnostics, pushed once the document is open.
      (stripe-test-wait "diagnostics" (lambda () stripe-test-published))
      (stripe-test-put
       'diagnostics
       (mapcar (lambda (diagnostic)
                 (let ((start (plist-get (plist-get diagnostic :range) :start)))
                   `((code . ,(plist-get diagnostic :code))
                     (line . ,(plist-get start :line))
                     (character . ,(plist-get start :character)))))
               (plist-get (car stripe-test-published) :diagnostics)))

      ;; Completion on the partial word `cust` inside its quotes, as completion-at-point
      ;; does it: the candidates of the symbol at point, the chosen one inserted, then the
      ;; item's exit function (which applies its text edit).
      (stripe-test-goto-after "\"cust\"" -1)
      (let* ((capf (eglot-completion-at-point))
             (beg (nth 0 capf))
             (end (nth 1 capf))
             (table (nth 2 capf))
             (exit (plist-get (nthcdr 3 capf) :exit-function))
             (probe (buffer-substring-no-properties beg end))
             (candidates (all-completions probe table))
             (chosen (cl-find "customer_read" candidates :test #'string=)))
        (stripe-test-put 'completion
                         `((probe . ,probe)
                           (matched . ,(vconcat (sort (mapcar #'substring-no-properties candidates)
                                                      #'string<)))))
        (unless chosen (error "customer_read is not offered for %s" probe))
        (completion--replace beg end chosen)
        (funcall exit chosen 'finished))

      ;; Hover on a granted permission.
      (stripe-test-goto-after "\"charge_read" -2)
      (let ((hover (jsonrpc-request server :textDocument/hover
                                    (eglot--TextDocumentPositionParams)
                                    :timeout stripe-test-deadline)))
        (stripe-test-put 'hover
                         `((kind . ,(plist-get (plist-get hover :contents) :kind))
                           (value . ,(plist-get (plist-get hover :contents) :value)))))

      ;; The quick fix at the misspelt name, as `M-x eglot-code-actions' runs it (flymake has
      ;; not reported the diagnostics in batch mode, so the request carries none).
      (stripe-test-goto-after "\"customers_write" -3)
      (let ((actions (eglot-code-actions (point) (point) "quickfix")))
        (stripe-test-put 'quickFix (plist-get (car actions) :title))
        (eglot--read-execute-code-action actions server "quickfix"))

      ;; eglot sends the changes of the quick fix after `eglot-send-changes-idle-time'; a user
      ;; typing the command takes longer than that. Send them now, as its idle timer does.
      (eglot--signal-textDocument/didChange)
      ;; Grant with positional arguments, as `eglot-execute-command' passes them.
      (stripe-test-put
       'grant
       (eglot-execute-command server 'stripeApps.server.grantPermission
                              (vector "invoice_read" "Lists the invoices of the customer."
                                      (eglot--path-to-uri manifest))))
      (stripe-test-put 'text (buffer-substring-no-properties (point-min) (point-max)))
      (eglot-shutdown server))))

(let ((ok (condition-case err
              (progn (stripe-test-run) t)
            (error (stripe-test-put 'error (error-message-string err)) nil))))
  (with-temp-file (getenv "RESULT")
    (insert (json-encode stripe-test-result)))
  (kill-emacs (if ok 0 1)))
