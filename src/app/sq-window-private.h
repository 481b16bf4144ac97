/* sq-window-private.h: what the main window's files share
 *
 * The window is one GObject spread over files by job, as gnome-text-editor's window is:
 * sq-window.c (class, instance, pages, settings), sq-window-actions.c (actions and their
 * keys), sq-window-open.c (opening: chooser, drop, recent files, examples, loading, the NIR
 * dialog), sq-window-check.c (the device check), sq-window-export.c (saving the quantized
 * network, the export dialog) and sq-window-session.c (sessions).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-check-list.h"
#include "sq-session.h"
#include "sq-window.h"

G_BEGIN_DECLS

/* The recent files' groups: what Synquant opened, apart from what the chooser adds. */
#define SQ_RECENT_GROUP_NETWORK "synquant-network"
#define SQ_RECENT_GROUP_SESSION "synquant-session"
/* Registered by data/io.github.synquant.Synquant.mime.xml: shared-mime-info 2.2 has none. */
#define SQ_NPZ_MIME_TYPE "application/x-npz"
#define SQ_NIR_MIME_TYPE "application/x-nir"

struct _SqWindow
{
  AdwApplicationWindow parent_instance;

  SqAnalysis          *analysis;
  SqDocument          *document;
  GCancellable        *load_cancellable;
  GFile               *loading_file;
  gint                 load_permille;
  guint                progress_id;
  GtkFileChooserNative *chooser;
  GtkRecentManager    *recent_manager;  /* nullable: the default one */

  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  AdwSqueezer         *switcher_squeezer;
  GtkWidget           *no_switcher;
  AdwViewSwitcherBar  *switcher_bar;
  guint                switcher_bar_id;
  GtkStack            *main_stack;
  AdwStatusPage       *loading_page;
  GtkProgressBar      *load_progress;
  AdwViewStack        *view_stack;
  SqTunePage          *tune_page;
  SqComparePage       *compare_page;
  SqSimulatePage      *simulate_page;
  SqSweepPage         *sweep_page;
  SqRobustnessPage    *robustness_page;
  GMenu               *example_menu;
  GtkWidget           *example_button;
  GtkWidget           *recent_box;
  GtkListBox          *recent_list;
  GtkDropDown         *device_dropdown;
  GtkWidget           *check_button;
  GtkImage            *check_icon;
  GtkLabel            *check_label;
  GtkPopover          *check_popover;
  GtkWidget           *check_export_button;
  GtkScrolledWindow   *check_scroller;
  SqCheckList         *check_list;
  GtkWidget           *session_box;
  GtkListBox          *session_list;

  const SqDeviceProfile *device;
  const SqNetworkKind *device_kind;     /* whose devices the drop-down lists */
  gboolean             filling_devices;
  GSettings           *settings;
  const SqNetworkKind *settings_kind;   /* whose options the settings were read for */
  SqCheckReport       *check_report;
  GCancellable        *check_cancellable;
  JsonObject          *simulate_settings;
  SqSession           *pending_session;
  GFile               *pending_session_file;
};

/* sq-window.c */
void _sq_window_show_error           (SqWindow              *self,
                                      const char            *heading,
                                      const char            *body);
void _sq_window_show_toast           (SqWindow              *self,
                                      const char            *title);
void _sq_window_set_document         (SqWindow              *self,
                                      SqDocument            *document);
char *_sq_window_folder_display_name (GFile                 *folder);
void _sq_window_focus_content        (SqWindow              *self);
void _sq_window_watch_dialog         (SqWindow              *self,
                                      GtkWindow             *dialog);

/* sq-window-actions.c */
void _sq_window_class_actions_init   (GtkWidgetClass        *widget_class);
void _sq_window_update_actions       (SqWindow              *self);

/* sq-window-open.c */
void _sq_window_open_init            (SqWindow              *self);
void _sq_window_start_load           (SqWindow              *self,
                                      GFile                 *file,
                                      const SqNirMapOptions *nir);
void _sq_window_end_loading          (SqWindow              *self);
void _sq_window_cancel_load          (SqWindow              *self);
void _sq_window_choose_network       (SqWindow              *self);
GtkRecentManager *_sq_window_recent_manager (SqWindow        *self);
void _sq_window_add_recent           (SqWindow              *self,
                                      GFile                 *file);
void _sq_window_fill_recent          (SqWindow              *self);

/* sq-window-check.c */
void _sq_window_check_init           (SqWindow              *self);
void _sq_window_run_check            (SqWindow              *self);
void _sq_window_issue_activated      (SqWindow              *self,
                                      int                    group);

/* sq-window-export.c */
void _sq_window_choose_save_file     (SqWindow              *self);
void _sq_window_export               (SqWindow              *self);
void _sq_window_show_in_folder       (SqWindow              *self,
                                      const char            *uri);

/* sq-window-session.c */
void _sq_window_open_session         (SqWindow              *self,
                                      GFile                 *file);
void _sq_window_apply_session        (SqWindow              *self,
                                      const SqSession       *session,
                                      GFile                 *session_file);
void _sq_window_choose_session_file  (SqWindow              *self);

G_END_DECLS
