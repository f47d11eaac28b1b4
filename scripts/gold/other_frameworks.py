"""Gold evidence units for four seed frameworks.

Frameworks: ``units-of-competence`` (seed 000), ``councils`` (002), ``admin-job-family`` (003) and
``axelos-skills`` (004). The units are written by hand below as data; running this script validates them
(competency names, levels allowed per competency, lengths, uniqueness) and writes a seeded ~70/30
dev/test split to ``data/gold/dev/<id>.csv`` and ``data/gold/test/<id>.csv``, plus the dev-only units
written later (``scripts/gold/dev_only.py``).

Each unit is ``(text, [(competency, level, note), ...])``: one label for most units, two for a
multi-label unit (written as two rows with identical text, kept in one split). ``NONE`` units carry
``("NONE", "", note)``. None of these four frameworks has negative indicators, so polarity is always
``positive``.

Run from the repository root:  python scripts/gold/other_frameworks.py
"""

from __future__ import annotations

import csv
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import dev_only

ROOT = Path(__file__).resolve().parents[2]
SEED = 20240611
TEST_SHARE = 0.30
HEADER = ["text", "competency", "level", "polarity", "note"]

N = "NONE"

# ---------------------------------------------------------------------------------------------
# 000 units-of-competence: no levels. Competency = unit title as the seed spells it (no number,
# no trailing full stop).
# ---------------------------------------------------------------------------------------------
U11 = "Deliver and maintain services"
U12 = "Contribute to the planning and implementation of changes in services, operations and systems to meet customer needs"
U21 = "Contribute to the planning, allocation, monitoring, evaluation and control of resources"
U31 = "Contribute to the development of teams and individuals to encourage innovation and improve performance"
U32 = "Plan, allocate, monitor and evaluate work carried out by teams, individuals and self"
U33 = "Create, maintain and enhance effective working relationships"
U34 = "Contribute to the assessment of own development and develop self to improve job performance and fulfil future potential"
U41 = "Seek, evaluate and communicate information in a clear, concise, relevant and timely manner to meet customer needs"
U42 = "Analyse and exchange information to solve problems, make decisions, influence and gain the commitment of others"
U51 = "Contributes to the delivery of projects"
U52 = "Contributes to the evaluation of the success of a Project"

UOC_COMPETENCIES = [U11, U12, U21, U31, U32, U33, U34, U41, U42, U51, U52]

UOC = [
    # 1.1 Deliver and maintain services
    ("When the room booking system went down on the morning of an evidence session, I switched us to the paper diary, rang the three affected committee clerks and had every room confirmed before 9.30.",
     [(U11, "", "1.1(d) disruption noted, corrective action at once, affected staff informed")]),
    ("At the start of the session I met the committee clerks to agree turnaround times for printed papers, then briefed my two print room colleagues on exactly what 'next day' meant.",
     [(U11, "", "1.1(a) agrees requirements with customers, explains standard to staff")]),
    ("Moved the catering for evening receptions onto the central framework contract - costs fell by around 18% and Members' feedback scores stayed the same.",
     [(U11, "", "1.1(b) quality and cost requirements met within procurement policy")]),
    ("set up a shared tracker on the Assembly intranet for Members' office requests so nothing sits in one person's inbox",
     [(U11, "", "1.1(c) uses Assembly IT to deliver the service")]),
    ("I noticed the lift refurbishment would block wheelchair access to the Long Gallery for a fortnight, so I arranged a temporary ramp and put notices on the intranet and at Reception.",
     [(U11, "", "1.1(d) obstacle foreseen, effect minimised, customers told")]),

    # 1.2 Changes in services
    ("I went through six months of visitor comment cards, grouped the complaints about tour booking and sent the Head of Events a two-page note recommending online slots, with costs.",
     [(U12, "", "1.2(a) assesses customer feedback, passes on with reasoned evaluation")]),
    ("Before Members' expense claims moved to the online portal I agreed three measures with my manager - error rate, days to payment and number of queries - and reported against them after three months.",
     [(U12, "", "1.2(c) objectives and measures set before change, then reviewed")]),
    ("Rolled out the new visitor badge procedure; security and reception staff had the go-live plan from me a fortnight beforehand.",
     [(U12, "", "1.2(b) implements change, communicates plan promptly")]),
    ("The Ushers suggested a change to how the running order is handed round in the Chamber and I put it to the Business Office with my own view on why a trial was worth it.",
     [(U12, "", "1.2(a) proposal passed on with reasoned evaluation")]),

    # 2.1 Resources
    ("Every month I compare our stationery spend against the budget profile; when toner costs jumped in Q3 I traced it to two faulty printers and got them replaced under warranty.",
     [(U21, "", "2.1(b) monitors use vs plan, prompt corrective action")]),
    ("I drafted the case for replacing the committee room audio kit, showing the saving on hire charges over five years and checking it against the procurement rules.",
     [(U21, "", "2.1(a) recommendation showing benefits, complies with policy")]),
    ("Overtime for the Hansard reporters was running 20% over plan during the Budget debates so I re-profiled the rota and flagged it to Finance the same week.",
     [(U21, "", "2.1(b) deviation from plan, corrective action, passed on")]),
    ("i check each batch of the printed Order Paper against the proof before it leaves the print room so it's the same standard every sitting day",
     [(U21, "", "2.1(c) monitors quality of resources, consistency in product")]),

    # 3.1 Development of teams and individuals
    ("After the move to the new records system I sat down with each of my five staff to work out who needed which parts of the training, instead of sending everyone on the full two-day course.",
     [(U31, "", "3.1(a)(c) identifies individual needs, cost-effective arrangements")]),
    ("Got our in-house IT trainer to run Excel sessions for the team at a fraction of the external quote.",
     [(U31, "", "3.1(c) arranges cost-effective training")]),
    ("Three months after the minute-taking course I reviewed draft minutes from the four staff who attended and compared them with the objectives we set beforehand.",
     [(U31, "", "3.1(d) monitors post-training progress against objectives")]),
    ("I made sure our part-time and job-share colleagues had the same chance to apply for the Committee Office secondment as everyone else.",
     [(U31, "", "3.1(e) equality of opportunity to develop")]),
    ("I started a monthly 'ideas half hour' where anyone in the team can pitch an improvement - two of them are now standard practice in the Bill Office.",
     [(U31, "", "3.1(f)(g) involvement in improvement, supports innovative behaviour")]),

    # 3.2 Plan, allocate, monitor and evaluate work
    ("Over the summer recess I split the correspondence backlog across the team according to who knew each subject best, and we cleared 340 letters in three weeks.",
     [(U32, "", "3.2(a) allocates work using staff competence, objective achieved")]),
    ("I gave one of my clerks detailed feedback on her first committee report the same afternoon: what worked well and two sections to tighten up.",
     [(U32, "", "3.2(c) timely, detailed, constructive feedback")]),
    ("When one officer's error rate on processing Assembly Questions started climbing I raised it with him privately; he'd never been trained on the new system, so we agreed a plan and a review date four weeks on.",
     [(U32, "", "3.2(d) poor performance identified promptly, course of action agreed")]),
    ("Objectives for each of my team are revisited every quarter and changed when the legislative programme shifts.",
     [(U32, "", "3.2(b) regularly updates objectives for organisational change")]),
    ("Each Monday I set out the week's priorities for myself and the two support officers and check progress with them on Thursday.",
     [(U32, "", "3.2 plan and monitor work of team and self")]),

    # 3.3 Working relationships
    ("Two of the reception team had fallen out over shift swaps; I spoke to each seperately, then together, and we agreed a swap rule that has held ever since.",
     [(U33, "", "3.3(c) conflict between staff identified and resolved")]),
    ("Every complaint from a Member's office goes on the case log within 24 hours, as the complaints procedure requires.",
     [(U33, "", "3.3(d) records customer matters in compliance with requirements")]),
    ("Constituency office staff know that if I say I'll ring back by 3 o'clock, I do.",
     [(U33, "", "3.3(a) honours promises, builds honest relationships")]),
    ("I introduced fortnightly drop-ins where party support staff could raise problems with the facilities service before they became formal complaints",
     [(U33, "", "3.3(b) opportunities for stakeholders to raise issues and views")]),
    ("A Member's researcher and I disagreed strongly about what the library could provide; I kept it courteous, explained our rules and offered an alternative he was happy with.",
     [(U33, "", "3.3(c) difference of opinion handled without offence")]),

    # 3.4 Own development
    ("My 360 feedback said I come across as abrupt in emails, which surprised me, so I now reread anything sensitive before sending and my manager says she has noticed the difference.",
     [(U34, "", "3.4(e) compares feedback with own perception, improves")]),
    ("I realised procurement was a gap for my new post and agreed with my line manager to complete CIPS Level 2 by March, which I passed.",
     [(U34, "", "3.4(a)(b)(c) need identified, objective agreed, training completed")]),
    ("one Friday afternoon a month is blocked out in my diary for my own learning and the team can see I stick to it",
     [(U34, "", "3.4(d) leads by example, schedules development time")]),
    ("Completed the Introduction to Parliamentary Procedure e-learning and the follow-up workshop, then used it straight away when I covered the Table Office.",
     [(U34, "", "3.4(c) undertakes agreed development activity")]),

    # 4.1 Seek, evaluate and communicate information
    ("For a Member's query on school transport costs I took the figures from the Department's annual report and cross-checked them with the statistical bulletin, because the two didn't agree.",
     [(U41, "", "4.1(b) reviews sources for accuracy, uses alternative sources")]),
    ("I reorganised the Committee's shared drive by inquiry and date so anyone can put their hands on an evidence paper in seconds.",
     [(U41, "", "4.1(d) stores information for prompt retrieval")]),
    ("A member of the public rang very upset about a petition; I let her talk, repeated back what I thought she wanted and checked it before promising anything.",
     [(U41, "", "4.1(g) listening, checking and clarifying face to face / by phone")]),
    ("Wrote a one-page plain English guide to petitions for the public to replace the six-page version.",
     [(U41, "", "4.1(f) tailors communication to the audience")]),
    ("Spotted that the list of members sent to the printers was missing two newly co-opted members and got a corrected list to them before the deadline.",
     [(U41, "", "4.1(e) identifies inadequacy in information, obtains more")]),

    # 4.2 Analyse and exchange information
    ("The Head of Facilities planned to close the public cafe on non-sitting Fridays; I showed him footfall figures proving school groups made up 30% of its trade and he kept it open.",
     [(U42, "", "4.2(f)(g) uses information to influence a decision")]),
    ("I advised the committee clerk that the proposed visit would breach the hospitality guidance, quoting the paragraph, and suggested another format that would work.",
     [(U42, "", "4.2(c) advice supported by reasoned argument consistent with policy")]),
    ("Persuaded ICT to put the Hansard editors first in the laptop refresh by setting out how many hours a week they were losing to crashes.",
     [(U42, "", "4.2(g) persuasive argument changes others' view")]),
    ("The Finance Director asked for the travel claims analysis in a particular spreadsheet layout and I gave it to her in exactly that format by the Thursday.",
     [(U42, "", "4.2(e) supplies relevant information in the form requested")]),

    # 5.1 Delivery of projects
    ("Situation: the digital Hansard project had no consistent reporting. Task: I took over the project paperwork. Action: I kept the RAID log and wrote fortnightly highlight reports for the board. Result: slippage was visible to the board weeks earlier.",
     [(U51, "", "5.1(a) manages production of PPM documentation")]),
    ("I broke the office relocation into about 40 tasks with milestones and tracked them weekly; we moved on schedule over the Easter recess.",
     [(U51, "", "5.1(b) PPM techniques to define tasks and track progress")]),
    ("Arranged for the Assembly's accessibility adviser and staff from two Members' offices to test the new website before sign-off.",
     [(U51, "", "5.1(d) engages experts and stakeholders")]),
    ("set the KPIs for the e-petitions pilot, explained to the board how we'd measure them and organised the gateway peer review with Internal Audit",
     [(U51, "", "5.1(c) communicates performance measures, organises peer review")]),

    # 5.2 Evaluation of the success of a project
    ("After the visitor centre refurbishment I ran the lessons-learned workshop and wrote up that two of our logged risks, contractor delays and asbestos, had actually materialised and what they cost.",
     [(U52, "", "5.2(b) lessons learnt, realised risks and their impact")]),
    ("I filed the closure report and lessons log in the PMO library on the records system so the next refurbishment team can find them.",
     [(U52, "", "5.2(c) documented in agreed format, stored for future use")]),
    ("Presented the results of the paperless committee pilot to the Clerks' management group - what worked, what didn't, and the 40% drop in printing.",
     [(U52, "", "5.2(d)(a) communicates successes, challenges to stakeholders")]),
    ("Contributed to the post-project review of the HR system, mainly on why the data migration took twice as long as planned.",
     [(U52, "", "5.2(a) contributes to evaluation of challenges")]),

    # multi-label
    ("I spotted that room bookings were being double-counted in the monthly usage report, corrected the spreadsheet and re-profiled our room hire budget to match the real figures.",
     [(U41, "", "4.1(e) inadequacy in information found and corrected"),
      (U21, "", "2.1(b) resource plan corrected to actual use")]),
    ("I used the staff survey results to persuade the Director to fund a mentoring scheme, and then organised the first cohort of eight mentees myself.",
     [(U42, "", "4.2(f) information used to gain commitment"),
      (U31, "", "3.1(c) arranges development activity")]),
    ("When the new expenses portal went live I briefed all 90 Members' offices on what was changing and ran a helpline for the first month so claims kept being paid on time.",
     [(U12, "", "1.2(b) change implemented, details communicated"),
      (U11, "", "1.1(d) minimises disruption to the service")]),

    # NONE
    ("I have always been passionate about public service and the work of the Assembly.", [(N, "", "motivation")]),
    ("I joined the Assembly Secretariat in 2011 straight from university in Coleraine.", [(N, "", "biography")]),
    ("I am a strong team player with excellent communication skills.", [(N, "", "generic self-description")]),
    ("If appointed, I would introduce weekly team briefings to keep everyone up to date.", [(N, "", "hypothetical")]),
    ("My line manager led the restructure of the Business Office in 2016.", [(N, "", "someone else's action")]),
    ("BA (Hons) Politics, Queen's University Belfast; ECDL", [(N, "", "qualification only")]),
    ("I'm really looking forward to the challenge of this role.", [(N, "", "motivation")]),
    ("The Hansard team produces the Official Report within three hours of each sitting.", [(N, "", "describes the team's work, not own action")]),
    ("Outside work I coach an under-12s football team at the weekends.", [(N, "", "biography")]),
]

# ---------------------------------------------------------------------------------------------
# 002 councils: levels B, D, F, H (A/C/E/G mid-points used sparingly).
# ---------------------------------------------------------------------------------------------
COM = "Communication"
POF = "Performance and Outcome Focus"
CUS = "Customer Focus"
ICI = "Innovation, Continuous Improvement and Problem Solving"
CTW = "Collaborative Teamwork"
FCA = "Financial and Commercial Awareness"
TEX = "Technical Expertise"
MPC = "Managing People and Change"
CLE = "Collaborative Leadership"
STR = "Strategic Thinking"
CFO = "Commercial Focus"

COUNCILS_COMPETENCIES = [COM, POF, CUS, ICI, CTW, FCA, TEX, MPC, CLE, STR, CFO]

COUNCILS = [
    # Communication
    ("Before I log a resident's request I read it back to them to make sure I've got it right, and if I'm not sure about something I check with my supervisor first.",
     [(COM, "B", "Style B: listens carefully, asks for clarification")]),
    ("On reception I explain the new bin collection days to residents in plain terms and let my team leader know when the same question keeps coming up.",
     [(COM, "B", "Style/Messages B: communicates clearly, informs appropriate people")]),
    ("I rewrote the garden waste renewal letter after older residents kept ringing to ask what it meant - shorter sentences, one action per paragraph - and calls about it dropped by about a third.",
     [(COM, "D", "Style D: adapts style to the audience so the message is understood")]),
    ("Presented the enforcement update to parish councils and then to the business forum, reworking the slides for each audience.",
     [(COM, "D", "Messages/Method D: presents to varied audiences, method suited to audience")]),
    ("During the depot fire I was the link to councillors and the press office, sticking to confirmed facts and staying calm while the picture changed by the hour.",
     [(COM, "F", "Style F / Method F: calm under pressure, judgement in urgent situations")]),
    ("I turned the 90-page review of the housing allocations policy into a four-page briefing for frontline officers without losing the legal nuances.",
     [(COM, "F", "Style F: conveys complex information with clarity")]),
    ("As director I set up a joint staff briefing programme across both councils, and we measure reach and feedback after every session to decide what to change.",
     [(COM, "H", "Method H/F: devises communication plans, evaluates impact")]),
    ("I argued the case for the shared services restructure at full Council in both authorities, took challenge from opposition members, and won the vote in each.",
     [(COM, "H", "Style/Influence H: debates complex strategic issues, wins support")]),
    ("i'm getting better at changing how I explain things depending on who I'm talking to, though with councillors I still slip into jargon sometimes",
     [(COM, "C", "between B and D: starting to adapt style, not yet consistent")]),

    # Performance and Outcome Focus
    ("I keep a weekly list of my council tax cases with a target date for each and tell my supervisor straight away if I'm missing anything I need to finish them.",
     [(POF, "B", "Planning and Organising B: own work with timescales, reports shortfalls")]),
    ("Hit my 95% accuracy target on benefit assessments every month this year.",
     [(POF, "B", "Performance Management B: achieves expected output and quality")]),
    ("I split the annual audit of our licensing records into monthly chunks, kept my manager posted on progress, finished three weeks early and wrote a note on what I'd do differently next time.",
     [(POF, "D", "Performance Management D / Planning D: systematic goals, sees through, learns")]),
    ("I track the team's planning validation times weekly, and when we dropped below 80% I moved two officers off pre-application advice for a fortnight to recover it.",
     [(POF, "F", "Planning and Organising F: monitors KPIs, manages resources to deliver")]),
    ("S - new benefits system went live and processing times doubled. A - I kept the team going, re-planned the workload and chased the supplier daily. R - back on target within six weeks, even though we had lost a member of staff.",
     [(POF, "F", "Self-Management F: accountable for KPIs, resilience and tenacity")]),
    ("I set the directorate's stretch targets for 2016/17 and introduced a quarterly award for teams that beat them.",
     [(POF, "H", "Performance Management H: challenging targets, environment rewarding achievement")]),
    ("I review progress on my own projects every fortnight and have started measuring the team's turnaround times too, although I'm still learning how to use the figures to improve results.",
     [(POF, "E", "between D and F: starting to measure team performance")]),

    # Customer Focus
    ("A resident came in furious about a missed collection; I stayed polite, apologised and booked a return visit for the next morning.",
     [(CUS, "B", "Customer Relationship B: calm, courteous, responds to need")]),
    ("If I can't give someone what they're asking for I explain why and tell them what I can do instead.",
     [(CUS, "B", "Customer Relationship B: says 'no' in a nice way")]),
    ("Before the market day changes I rang all 42 traders to find out what mattered to them - it turned out loading times were the real issue, not pitch fees.",
     [(CUS, "D", "Customer Needs D: researches customer requirements and preferences")]),
    ("I started sending a short feedback text after each housing options appointment and used the replies to change how we explain waiting lists.",
     [(CUS, "D", "Customer Relationship D: encourages feedback to add value")]),
    ("Worked with the local Age UK group and residents from two sheltered schemes to redesign the assisted bin collection service; satisfaction is now 98%.",
     [(CUS, "F", "Customer Needs F: works in partnership with customers to improve services")]),
    ("I commissioned a review of how the district's ageing population will change demand for our services over ten years and used it to reshape the customer service strategy.",
     [(CUS, "H", "Customer Needs H: trends inform development of services")]),
    ("I led the customer service review across revenues, benefits and housing and built close working relationships with the lead councillors, though the overall strategy was set by the chief executive.",
     [(CUS, "G", "between F and H: key member relationships, not yet owning strategy")]),

    # Innovation, Continuous Improvement and Problem Solving
    ("I noticed we were printing every planning application twice, mentioned it to my supervisor, and now we only print on request.",
     [(ICI, "B", "Continual Improvement/Innovation B: minimises waste, shares ideas with supervisor")]),
    ("took ownership of the faulty parking permit batch and kept chasing the printer myself until the replacements arrived",
     [(ICI, "B", "Problem Solving B: takes ownership, sees issue through")]),
    ("I looked at how three other councils take fly-tipping reports, trialled an online form with photo upload in one ward for a month, then put it to the team meeting with the results.",
     [(ICI, "D", "Innovation D: researches new approaches, tests ideas, submits viable idea")]),
    ("When the overnight payment file kept failing I went through the error logs with IT, asked a lot of questions and traced it to a date format change.",
     [(ICI, "D", "Problem Solving D: questioning and analytical skills to investigate")]),
    ("I benchmarked our licensing turnaround against comparator councils, redesigned the process, wrote the new procedure and trained a champion in each team to keep it going.",
     [(ICI, "F", "Continual Improvement F: benchmarking, documents and embeds new process, champions")]),
    ("Across the directorate I've introduced a no-blame review after every service failure, so people report problems early instead of hiding them.",
     [(ICI, "H", "Problem Solving H: no-blame culture")]),
    ("Led the development of a continuous improvement strategy for both councils, benchmarked against top-quartile authorities and private sector leaders.",
     [(ICI, "H", "Continual Improvement H: strategy, benchmarks against leading organisations")]),

    # Collaborative Teamwork
    ("When a colleague in Revenues was off sick I offered to cover her post opening so the team didn't fall behind.",
     [(CTW, "B", "Team Effectiveness/Collaboration B: offers help, takes on tasks")]),
    ("We agreed as a team to split the caseload alphabetically; I'd have done it differently but I stuck to it.",
     [(CTW, "B", "Team Effectiveness B: accepts team decisions")]),
    ("I volunteered for the cross-council working group on shared procurement templates and drafted two of the new ones.",
     [(CTW, "D", "Collaboration D: participates in working groups on best practice")]),
    ("In the run-up to the election I picked up the postal vote queries and covered reception as well, though neither is normally my job.",
     [(CTW, "D", "Team Effectiveness D: flexible, performs different roles")]),
    ("I pulled together officers from housing, environmental health and the police to deal with a problem HMO, and we had it closed within three months.",
     [(CTW, "F", "Collaboration F: creates effective teams with other services and partners")]),
    ("I've built a standing partnership with the county council and health colleagues on hospital discharge, with a joint board that meets quarterly.",
     [(CTW, "H", "Collaboration H: builds alliances and strong partnerships with key stakeholders")]),

    # Financial and Commercial Awareness
    ("I double check every invoice code i enter so the cost centres are right first time.",
     [(FCA, "B", "Finance B: accurately records financial data")]),
    ("turn the van engine off while waiting and plan my rounds to save fuel",
     [(FCA, "B", "Finance/Recognising Opportunities B: minimises waste in own area")]),
    ("I produce a monthly spend report on our team's £60k budget and flag anything running over profile to my manager.",
     [(FCA, "D", "Finance D: monitors and reports financial data regularly")]),
    ("I suggested we charge neighbouring councils for our pest control training sessions, which brought in £4,500 in the first year.",
     [(FCA, "D", "Recognising Opportunities D: identifies income generation")]),
    ("I manage the £1.2m leisure contract budget, analyse the monthly figures against forecast and renegotiated the utilities clause, saving £80k.",
     [(FCA, "F", "Finance F: manages budget, analyses data, contract regime")]),
    ("As head of finance I let a minor dispute with our IT supplier go in order to secure a much better long-term settlement on the data centre contract.",
     [(FCA, "H", "Business Acumen H: 'lose the battle to win the war'; resolves complex contractual dispute")]),

    # Technical Expertise
    ("I've read the data protection guidance and our team procedures so I know what I can and can't share over the phone.",
     [(TEX, "B", "Job Knowledge B: understands and follows policies")]),
    ("I can log on, look after my files, reset my own password and use the CRM templates for the basic enquiries.",
     [(TEX, "B", "ICT B: basics of computer system and service templates")]),
    ("I use Excel pivot tables to turn our complaints data into charts for the monthly team pack.",
     [(TEX, "D", "ICT D: spreadsheet software makes data understandable")]),
    ("I asked three colleagues and my manager for feedback on my report writing and used what they said to choose a short course.",
     [(TEX, "D", "Professionalism and CPD D: prioritises development from feedback")]),
    ("I'm the team's go-to person for the planning system and trained all four new starters on it this year.",
     [(TEX, "F", "Job Knowledge F / ICT F: very competent, trains others, supports IT use")]),
    ("I put together the succession plan for building control, identifying two surveyors and developing them so they are ready for principal posts.",
     [(TEX, "H", "Professionalism H / Job Knowledge H: develops successors for key roles")]),

    # Managing People and Change
    ("As team leader I give our apprentice the simpler licence applications first so she builds confidence before taking on the complicated ones.",
     [(MPC, "B", "Managing People Performance B: delegates to build skills and confidence")]),
    ("One of my team was repeatedly late; I had a straightforward conversation with him, set clear expectations, and it stopped.",
     [(MPC, "B", "Managing People Performance B: robust, positive on poor performance")]),
    ("I found a gap in enforcement skills across my two teams and set up a joint programme with legal services to close it.",
     [(MPC, "D", "Managing People Development D: identifies skill gaps, puts plans in place")]),
    ("During the move to agile working I helped draw up the detailed plans, and when the IT rollout stalled I moved money in my budget to buy the missing kit so my teams weren't held up.",
     [(MPC, "D", "Managing Change D: contributes to detailed planning, channels resources past obstacles")]),
    ("I mentor the two officers I see as successors to my service managers and have put both through ILM Level 5.",
     [(MPC, "F", "Managing People Development F: mentors employees key to succession")]),
    ("I took the waste services transformation across both councils from an unfunded idea to a fully resourced programme that delivered £1.1m of savings.",
     [(MPC, "H", "Managing Change H: steers strategic change to resourced plans and outcomes")]),

    # Collaborative Leadership
    ("I asked my team for honest feedback on how I run meetings, and changed the format when they told me I dominate the discussion.",
     [(CLE, "B", "Personal Impact B: seeks feedback on own style")]),
    ("My officers can now approve discretionary refunds up to £200 themselves instead of bringing every one to me.",
     [(CLE, "D", "Decision Making D: passes decisions to lowest practicable level")]),
    ("Before proposing car park charges I mapped who would be affected, then met the town council, the traders and the two ward members separately and pitched it differently to each.",
     [(CLE, "F", "Stakeholder Management F: stakeholder analysis, adapts engagement to win them over")]),
    ("I confronted a long-running dispute between my planning and building control teams head-on, got both managers round the table and agreed shared targets.",
     [(CLE, "F", "Personal Impact F: decisive, confronts team issues, aligns teams")]),
    ("I secured cross-party and public support for the town centre regeneration strategy by consulting widely and being open about the trade-offs at three public meetings.",
     [(CLE, "H", "Decision Making H: guides vital strategy, political and public support")]),

    # Strategic Thinking
    ("Every month I update my team on what the Homelessness Reduction Act is likely to mean for our caseloads.",
     [(STR, "B", "External Focus B: updates team on national policy impact")]),
    ("I wrote a three-year plan for the environmental health team that balances the routine inspection programme with the new food hygiene rating work.",
     [(STR, "D", "Strategic Thinking and Planning D: medium/long-term plans balanced with current delivery")]),
    ("I built relationships with key councillors and the LEP well ahead of the local plan review, which helped the strategic sites go through with little opposition.",
     [(STR, "F", "Organisational Awareness F: influential relationships smooth path for strategic plans")]),
    ("I sit on the national District Councils' Network and feed what I hear about emerging policy into our corporate strategy.",
     [(STR, "H", "External Focus H: national networking, horizon scanning")]),
    ("I wrote the councils' joint ten-year economic growth strategy, which now underpins the corporate plan and our business rates forecasts.",
     [(STR, "H", "Strategic Thinking and Planning H: strategy for the organisation")]),

    # Commercial Focus
    ("I got my team to rework how we process trade waste agreements, which halved the admin per contract and freed capacity to sign up 30 new businesses.",
     [(CFO, "B", "Commercial Opportunities B: co-ordinates team to streamline and generate income")]),
    ("I check our building control fee income against budget every month, and when we fell 12% behind I launched a targeted campaign to local architects.",
     [(CFO, "D", "Commercial Opportunities D: monitors income, decisive action")]),
    ("Evaluated three delivery models for the leisure centres - in-house, trust and outsourced - and recommended the trust model to the Executive with a full options appraisal.",
     [(CFO, "F", "Commissioning F: evaluates and recommends alternative delivery models")]),
    ("I led the set-up of the councils' trading company and set the pricing structure for selling our building control service to neighbouring authorities.",
     [(CFO, "H", "Commercial Opportunities H: new commercial opportunity, pricing structure")]),
    ("I explain to my team how the commercial plan affects their day-to-day work and check each month that we're on track for our share of the income target.",
     [(CFO, "B", "Commercial Vision B: relates vision to team, monitors commercial outcomes")]),

    # further F/H units
    ("I make a point of explaining the hard budget decisions to staff in person at every depot and office, and trust in senior leadership went up 15 points in this year's staff survey.",
     [(CLE, "H", "Decision Making H: explains organisational decisions in a way that inspires support")]),
    ("I broke the councils' strategic plan down into a one-page set of priorities for each of my four teams, and we check them at every service meeting.",
     [(STR, "F", "Strategic Thinking and Planning F: breaks strategic plan into bite-size chunks for the department")]),
    ("Spotted early that the changes to New Homes Bonus would cost us about £2m and had options in front of members before the consultation closed.",
     [(STR, "F", "External Focus F: broad view of national policy, interprets challenge, develops plans")]),
    ("Wrote the detailed commercial plan for building control - pricing, staffing, marketing - and got my service managers to own their parts of it.",
     [(CFO, "F", "Commercial Vision F: detailed commercial plan, shared ownership with service managers")]),
    ("I secured £1.8m of external funding for the garden town programme and set the commissioning strategy for the services it pays for.",
     [(CFO, "H", "Commercial Opportunities H / Commissioning H: secures funding, determines commissioning")]),
    ("Every team in my service now has measures that show underperformance within a month, and I challenge my managers when the numbers slip.",
     [(MPC, "F", "Managing People Performance F: realistic measures, challenges managers")]),
    ("I let my heads of service reward good work in low-cost ways of their own choosing - extra learning days, a thank-you board - and staff turnover has dropped.",
     [(MPC, "H", "Managing People Performance H: managers free to incentivise in novel low-cost ways")]),
    ("I encourage my officers to pick holes in my draft decisions at team meetings and set up peer coaching pairs so they learn from each other.",
     [(TEX, "F", "Professionalism and CPD F: coaching environment, independent thinking and constructive criticism")]),
    ("I set up a senior customer panel with our largest business ratepayers and the housing associations, which has already produced two joint initiatives.",
     [(CUS, "H", "Customer Relationship H: close relationships with key customers, strategic alliances")]),
    ("accountable for the directorate's business plan targets; held firm on the recycling target when members pushed to move the budget elsewhere",
     [(POF, "H", "Self-Management H: accountable for targets in business plan, resists pressure")]),
    ("While the team was under real pressure during the elections I kept everyone calm, briefed them every morning and made sure nobody was out of the loop.",
     [(CTW, "F", "Team Effectiveness F: calm focus under pressure, cascades information")]),

    # multi-label
    ("I set up a joint CCTV monitoring contract with South Northants, saving both councils around £40k a year.",
     [(FCA, "F", "Finance F / Recognising Opportunities F: procurement and savings plan"),
      (CTW, "F", "Collaboration F: effective team with partner organisation")]),
    ("After the restructure I held one-to-ones with all 14 staff to explain what it meant for each of them, and adjusted the communications plan around their worries.",
     [(MPC, "D", "Managing Change: people supported through change"),
      (COM, "D", "Method D: plans communication to suit message and audience")]),
    ("I benchmarked our planning fees against six councils, recommended new charges for pre-application advice to the Executive and now monitor the income every month.",
     [(FCA, "F", "Recognising Opportunities F: evaluates income opportunities, implements plan"),
      (ICI, "F", "Continual Improvement F: benchmarking to raise standards")]),
    ("Void repairs were taking 40 days, so I worked out with the contractor why and changed the inspection sequence; re-let times are now 22 days and rent loss is down £35k.",
     [(ICI, "D", "Problem Solving/Continual Improvement D: analyses, improves work method"),
      (FCA, "D", "Recognising Opportunities D: adds value and savings without extra cost")]),

    # NONE
    ("I have worked for Cherwell District Council for eleven years, the last four in Revenues.", [(N, "", "biography")]),
    ("I'm really excited about the chance to move into the Strategy team.", [(N, "", "motivation")]),
    ("I consider myself a highly motivated individual who always goes the extra mile.", [(N, "", "generic claim")]),
    ("If I got this post I would start by meeting every member of the team individually.", [(N, "", "hypothetical")]),
    ("Our head of service introduced the new appraisal scheme last year.", [(N, "", "someone else's action")]),
    ("The team was praised by the Ombudsman for how it handled complaints.", [(N, "", "team outcome, no own behaviour")]),
    ("My objectives for next year are to finish the ILM course and take on more project work.", [(N, "", "future plan")]),
    ("Education: BA (Hons) Geography, Oxford Brookes University, 2003", [(N, "", "qualification only")]),
    ("Appraisal period: April 2015 to March 2016", [(N, "", "form header")]),
    ("I believe good communication is the key to any successful organisation.", [(N, "", "opinion")]),
    ("We have a really supportive team in Environmental Services.", [(N, "", "generic, no own behaviour")]),
    ("I would welcome the opportunity to attend the Leadership Academy next year.", [(N, "", "future wish")]),
    ("Section 3: Core competencies - evidence and examples", [(N, "", "form heading")]),
    ("My previous manager always said I was reliable and easy to work with.", [(N, "", "someone else's opinion, no behaviour")]),
]

# ---------------------------------------------------------------------------------------------
# 003 admin-job-family: levels "1".."6" = AA1, AA2, Admin 1, Admin 2, Senior Admin, Office Manager.
# ---------------------------------------------------------------------------------------------
DOC = "Producing documents"
FIL = "Filing and retrieving documents"
REC = "Record keeping"
CLS = "Providing clerical and other support and guidance to service users"
ENQ = "Handling enquiries and queries and undertaking reception duties"
DIA = "Planning and managing diaries and meeting schedules"
COR = "Dealing with formal correspondence"
RES = "Undertaking research and project work"
DEV = "Developing the team"
REL = "Building professional relationships"
RSC = "Allocating, monitoring and managing resources"
MIN = "Providing management information"

ADMIN_COMPETENCIES = [DOC, FIL, REC, CLS, ENQ, DIA, COR, RES, DEV, REL, RSC, MIN]
ADMIN_LEVELS = {c: ["1", "2", "3", "4", "5", "6"] for c in ADMIN_COMPETENCIES}
for _c in (DIA, RES, MIN):  # "N/a" for Administrative Assistant 1 and 2
    ADMIN_LEVELS[_c] = ["3", "4", "5", "6"]

ADMIN = [
    # Producing documents
    ("I type up letters and memos for the team from their handwritten notes, using the standard Word templates.",
     [(DOC, "1", "straightforward documents (letters, memos)")]),
    ("Set up a small Access database to log equipment loans and produce the monthly spreadsheet showing who has what.",
     [(DOC, "2", "more detailed documents (spreadsheets, databases)")]),
    ("I prepare the committee reports, budget spreadsheets and minutes for the service, and showed our new starter how to do the mail merges.",
     [(DOC, "3", "range of detailed documents, may support less experienced colleague")]),
    ("Everything from tender evaluation reports to complex Excel trackers for the Highways team comes through me, and colleagues bring me their documents when the formatting goes wrong.",
     [(DOC, "4", "wide range of detailed documents, supports colleagues")]),
    ("I redesigned the templates for SEN statutory assessment reports, which are legally sensitive, and wrote a style guide the other admin staff now work to.",
     [(DOC, "5", "complex/specialist documents, initiates change, guidance to others")]),
    ("I allocate document work across a team of six, quality-check what goes out and proposed the new house style that management adopted.",
     [(DOC, "6", "supervises allocation, standard and completion; recommends and drafts change")]),

    # Filing and retrieving documents
    ("i file the daily post into the right client folders and pull files for the social workers when they ask",
     [(FIL, "1", "file and retrieve for the team")]),
    ("I look after the team's case files, making sure returned ones go back in order and booking them out to whoever needs them next.",
     [(FIL, "2", "file, retrieve and co-ordinate documentation")]),
    ("Led the move of 12,000 paper planning files to electronic storage, designing the indexing structure and advising the team on retention rules.",
     [(FIL, "5", "sets up complex filing system, initiates change, specialist advice")]),
    ("I supervise archiving for the whole office and changed our retention procedure after an audit found boxes kept years past their destruction dates.",
     [(FIL, "6", "supervises filing/archiving, initiates and implements changes")]),

    # Record keeping
    ("Every Monday I enter the timesheet forms onto the payroll spreadsheet and double-check the totals.",
     [(REC, "1", "routine forms recorded accurately")]),
    ("Typing up meeting notes and keeping the attendance registers for training courses upto date on the system",
     [(REC, "2", "standard forms and meeting notes")]),
    ("I keep the library catalogue index and taught my colleague on the desk how to add new stock to it correctly.",
     [(REC, "3", "wider range of records (library index), guidance to less experienced colleague")]),
    ("I maintain the petty cash and imprest accounts for three schools and show the school office staff how to record transactions so fewer get sent back.",
     [(REC, "4", "more complex records (accounts), guidance to others")]),
    ("I collate and maintain the school census returns for 40 primaries, checking the data before submission and advising school offices on their errors.",
     [(REC, "5", "specialist records (DfE returns) collated, guidance to others")]),

    # Providing clerical and other support and guidance to service users
    ("photocopying, scanning and laminating for the whole floor, usually turned round within the hour",
     [(CLS, "1", "routine clerical support")]),
    ("I raise purchase orders on Oracle for the team and chase up deliveries with suppliers.",
     [(CLS, "2", "general financial administration (processing orders)")]),
    ("I book travel and hotels for the consultants and collate the quarterly reports sent in by the area offices.",
     [(CLS, "3", "admin/secretarial support (travel, collating reports)")]),
    ("I service the Adoption Panel - agendas, papers and minutes - and advise panel members on the paperwork procedures.",
     [(CLS, "4", "servicing meetings, guidance on specific administrative procedures")]),
    ("I run payroll for the 30 casual staff at the outdoor centre and advise managers on expenses and overtime procedures, much of it confidential.",
     [(CLS, "5", "payroll administration, guidance on financial procedures, confidential")]),
    ("As office manager I'm who senior managers come to for advice on sensitive HR paperwork, grievance hearing arrangements and confidential correspondence.",
     [(CLS, "6", "guidance on diverse, often confidential issues")]),

    # Handling enquiries and queries and undertaking reception duties
    ("On the Registrars' front desk I dealt with everything from birth registration bookings to certificate queries, and passed the trickier ones to a senior registrar.",
     [(ENQ, "2", "range of queries, refers more detailed issues")]),
    ("Colleagues pass me the detailed Blue Badge queries they can't answer, and I'm the contact for customer comments about the scheme.",
     [(ENQ, "3", "detailed queries referred by colleagues, point of contact for feedback")]),
    ("I handle the complex admissions appeal queries referred to me, including from solicitors, and once dealt with a very distressed visitor at reception who needed a safeguarding referral.",
     [(ENQ, "5", "complex referred issues, complex reception/visitor matter")]),
    ("I supervise the contact centre back office and answer the stage 1 complaints myself, checking we followed procedure before I reply.",
     [(ENQ, "6", "supervises; responds to complaints ensuring procedures followed")]),

    # Planning and managing diaries and meeting schedules
    ("I manage my own diary and set up the monthly team meetings, booking rooms and sending out invites.",
     [(DIA, "3", "personal diary and meeting schedules")]),
    ("I arrange the quarterly partnership meetings for the Youth Offending Service, finding dates that suit five agencies and getting papers out in good time.",
     [(DIA, "4", "plans and co-ordinates meeting schedules independently")]),
    ("I run the diaries for the whole Education Welfare team, schedule their case conferences and make sure reports reach attendees three days beforehand.",
     [(DIA, "5", "personal and team diaries with supporting documentation")]),
    ("I manage the Director's diary and the programme of Cabinet briefings, prepare the papers and brief her each morning on what's coming up and what has changed.",
     [(DIA, "6", "complex meeting schedules, keeps manager fully briefed")]),

    # Dealing with formal correspondence
    ("sorting the incoming post every morning and getting it to the right desks before half nine",
     [(COR, "1", "sorts and distributes mail")]),
    ("I open, date-stamp and log all correspondence recieved, pass it to the right officer and send the standard acknowledgement within two days.",
     [(COR, "2", "sorts, refers and acknowledges routine correspondence")]),
    ("With my supervisor checking them first, I reply to standard letters about parking permit renewals using the approved paragraphs.",
     [(COR, "3", "responds to standard correspondence under guidance")]),
    ("I reply directly to routine correspondence on council tax discounts, picking the right standard response and adapting it where needed.",
     [(COR, "4", "responds to standard correspondence without guidance")]),
    ("I track every statutory return our service owes to government departments and make sure each goes in on time, chasing officers where needed.",
     [(COR, "5", "monitors progress of formal correspondence (statutory returns)")]),
    ("I draft the replies to MP and councillor letters for the Head of Service to approve and track each one until it's sent.",
     [(COR, "6", "drafts responses requiring management approval, monitors progress")]),

    # Undertaking research and project work
    ("Occasionally I help with projects - when the library moved I put up the new signage and updated all the leaflets.",
     [(RES, "3", "occasional general implementation of projects")]),
    ("I worked on the rollout of the online booking system, testing the forms and updating the procedures manual as my supervisor asked.",
     [(RES, "4", "general implementation of project as identified by supervisor")]),
    ("I researched how four other councils charge for pre-application advice, wrote up the options and then put the new fee schedule in place in our section.",
     [(RES, "5", "research and implementation of a specific part of a project")]),
    ("For the service plan's digital project I researched our customer channel-shift data and led the introduction of online forms across our team.",
     [(RES, "6", "contributes to research and project implementation from business plan")]),

    # Developing the team
    ("I go to every team meeting and completed my manual handling and data protection training this year.",
     [(DEV, "1", "participates in team development activities")]),
    ("When our new apprentice started I showed her how the phone system and the filing work.",
     [(DEV, "2", "assists less experienced colleague when appropriate")]),
    ("I coach two junior clerks in processing invoices and check their work weekly until they feel confident.",
     [(DEV, "4", "assists, coaches and mentors in routine tasks")]),
    ("I sat on the interview panel for two Administrator posts, then trained the successful candidates on the specialist court bundle work.",
     [(DEV, "5", "assists in recruitment and training on specialist tasks")]),
    ("I supervise a team of eight, hold monthly one-to-ones and coached one of my Administrative Assistants through to promotion.",
     [(DEV, "6", "supervises, coaches and mentors team members")]),

    # Building professional relationships
    ("As a Saturday receptionist I built up a friendly rapport with the regular visitors and with staff on the other floors.",
     [(REL, "1", "maintains good working relationships (levels 1-3 share wording; junior scope)")]),
    ("I set up regular contact with the housing associations' admin teams, so tenancy paperwork gets sorted by phone instead of by letter.",
     [(REL, "4", "initiates relationships with other agencies")]),
    ("I built working links with police, NHS and school admin staff for the safeguarding hub, and we now get the information for referrals much faster.",
     [(REL, "5", "initiates relationships with wider internal and external range")]),
    ("Over the years I've developed relationships with suppliers, partner agencies and councillors' offices that the whole team now relies on.",
     [(REL, "6", "initiates and maintains wide range of professional relationships")]),

    # Allocating, monitoring and managing resources
    ("I keep the stationery cupboard tidy and safely stacked and reuse envelopes for internal post.",
     [(RSC, "1", "orderly, secure storage; awareness of waste")]),
    ("Every Friday I check paper and toner levels, order what we need and hand it out to the three floors.",
     [(RSC, "2", "monitors, co-ordinates and distributes stocks")]),
    ("I co-ordinate office supplies for the whole service area through the council's framework and keep records of every stock check ready for audit.",
     [(RSC, "3", "co-ordinates provision of stocks; audit records")]),
    ("For the library service's Family Fun Day I helped plan and monitor the £8,000 events budget, approached local businesses and secured £2,500 sponsorship from one of them, and promoted the day on social media; attendance was our highest ever.",
     [(RSC, "5", "small budget, sponsorship, marketing of service area")]),
    ("I manage the office's £15k running costs budget and make sure the team always has the equipment and supplies it needs.",
     [(RSC, "6", "allocated small budget; ensures provision of resources")]),

    # Providing management information
    ("I help gather the weekly call figures for my manager's performance report.",
     [(MIN, "3", "assists in gathering data")]),
    ("Each month I gather the figures on planning applications received and decided, plus fee income, for the service performance report.",
     [(MIN, "4", "gathers data and financial information for reports")]),
    ("Each quarter I analyse our performance and cost data, pick out the trends and write the commentary for the Assistant Director's management report.",
     [(MIN, "6", "gathers, analyses and evaluates data for management reports")]),

    # multi-label
    ("I set up the electronic filing structure for our team and wrote a short how-to so the two new starters could use it.",
     [(FIL, "3", "sets up basic filing system for the team"),
      (DEV, "3", "assists less experienced colleagues")]),
    ("I pull the monthly sickness absence figures from the four teams, check them against SAP and produce the summary spreadsheet and charts that go to the Head of Service.",
     [(MIN, "5", "gathers and processes data for management reports"),
      (DOC, "2", "more detailed documents (spreadsheet)")]),
    ("I answer the main switchboard and take payments for school meals at the front desk, issuing receipts.",
     [(ENQ, "1", "routine telephone and face-to-face enquiries"),
      (CLS, "1", "routine financial administration (small amounts of cash)")]),

    # NONE
    ("I have worked in offices for over fifteen years in both the private and public sector.", [(N, "", "biography")]),
    ("I'm applying because I want to progress my career within the county council.", [(N, "", "motivation")]),
    ("I am very organised and have excellent attention to detail.", [(N, "", "generic claim")]),
    ("I hold NVQ Level 3 in Business Administration and the ECDL.", [(N, "", "qualification only")]),
    ("In the new role I would make sure all the files were kept up to date.", [(N, "", "hypothetical")]),
    ("My manager introduced a new electronic document system in 2019.", [(N, "", "someone else's action")]),
    ("I enjoy working with people and helping them", [(N, "", "generic claim")]),
    ("Two references can be provided on request.", [(N, "", "boilerplate")]),
    ("I have a full clean driving licence and my own car.", [(N, "", "biography / eligibility")]),
    ("The office moved to County Hall in 2017 and our team doubled in size.", [(N, "", "context, no own action")]),
]

# ---------------------------------------------------------------------------------------------
# 004 axelos-skills: levels "1".."5"; each skill is defined only at some levels.
# ---------------------------------------------------------------------------------------------
AXELOS_LEVELS = {
    # Project Portfolio Management
    "Business case development": "345",
    "Project and programme organization and governance": "345",
    "Project and programme planning": "234",
    "Progress monitoring and control": "2345",
    "Application of best practice processes, models and tools": "2345",
    "Portfolio, programme and project support": "234",
    "Portfolio definition": "45",
    "Portfolio management": "345",
    "Project risk management": "2345",
    "Change control and configuration management": "234",
    "Project and programme quality management": "2345",
    "Resource and cost estimation": "34",
    # Business analysis and change management
    "Benefits management and realization": "345",
    "Blueprint design": "45",
    "Stakeholder management and communication": "2345",
    "Business change management": "345",
    "Process improvement": "34",
    "Requirements/needs identification": "345",
    "Information analysis": "12345",
    "Modelling": "234",
    # IT Service Management
    "Application of best practice processes, methods and tools": "345",
    "Architecture design": "345",
    "Availability management": "234",
    "Business risk management": "234",
    "Capacity management": "234",
    "Component integration": "234",
    "Configuration management": "234",
    "Continuity management": "34",
    "Incident management": "234",
    "Innovating": "45",
    "Information security strategy development": "45",
    "Information security management": "234",
    "Information and knowledge management": "345",
    "IT and business strategy alignment": "45",
    "IS Governance": "45",
    "IT Change management": "234",
    "Problem management": "34",
    "Release management": "234",
    "Relationship management": "345",
    "Service delivery": "123",
    "Service level management": "34",
    "Service management policy and procedure design": "45",
    "User support": "123",
    "Technology trend monitoring": "45",
    # Business and commercial
    "Contract management": "234",
    "Purchasing": "234",
    "Financial management": "345",
    "Resource management": "2345",
    "Sales management": "345",
    # Leadership and personal
    "Leadership and teamwork": "12345",
    "Communication and knowledge sharing": "12345",
    "Negotiation": "345",
    "Conflict management": "12345",
    "Staff awareness and development": "234",
    "Quality orientation (attention to detail)": "123",
    "Business and environmental awareness": "12345",
    "Planning and organization": "12345",
}
AXELOS_CATEGORY = {}
for _i, _name in enumerate(AXELOS_LEVELS):
    AXELOS_CATEGORY[_name] = ("Project Portfolio Management" if _i < 12 else
                              "Business analysis and change management" if _i < 20 else
                              "IT Service Management" if _i < 44 else
                              "Business and commercial" if _i < 49 else
                              "Leadership and personal")

AXELOS = [
    # --- Project Portfolio Management
    ("Wrote the business case for moving our field engineers onto tablets: three supplier options, a five-year cost/benefit analysis, and sign-off from the operations director.",
     [("Business case development", "3", "L3: business case for small/medium change, cost-benefit, sells to stakeholders")]),
    ("As portfolio director I rank 20-odd competing business cases each quarter against the digital strategy and stop the ones that don't fit - including a couple of my own favourites.",
     [("Business case development", "5", "L5: directs and prioritises business cases for the portfolio")]),
    ("Set up the programme board, design authority and a small PMO for the £14m ERP replacement, and wrote the decision-making framework with tolerances and escalation routes.",
     [("Project and programme organization and governance", "4", "L4: structures, decision framework and PMO for complex programme")]),
    ("defined the team structure and RACI for a 7-person CRM upgrade and agreed with the Head of Sales to second two of her people part-time",
     [("Project and programme organization and governance", "3", "L3: team structure, roles, access to business resources")]),
    ("Supported the PM by building the plan for the data migration workstream in MS Project and estimating effort for each task.",
     [("Project and programme planning", "2", "L2: supports plan preparation for a sub-component under direction")]),
    ("I merged six sub-project plans into one master schedule, found the critical path through the infrastructure build and set up milestone gates around it.",
     [("Project and programme planning", "4", "L4: integrates sub-project plans, critical path, milestones")]),
    ("Every Friday I collected status updates from the workstream leads, chased the missing ones and turned them into RAG charts for the project manager.",
     [("Progress monitoring and control", "2", "L2: collects performance information, prepares charts")]),
    ("When the build phase ran 12% over its cost tolerance I dug into why, re-sequenced testing and got us back inside tolerance within two sprints.",
     [("Progress monitoring and control", "3", "L3: examines areas exceeding tolerance, corrective action")]),
    ("I produce the quarterly report on our £200m capital project portfolio for the group board and our lenders.",
     [("Progress monitoring and control", "5", "L5: portfolio reports for executive and external stakeholders")]),
    ("Tailored PRINCE2 for a six-month website project - merged some management products, kept the stage boundaries - and coached the team on why the controls mattered.",
     [("Application of best practice processes, models and tools", "3", "L3: customises best practice for a small/medium project, coaches")]),
    ("Led the group's adoption of MSP and PRINCE2 as the standard for all change and benchmark our project governance against P3M3 each year.",
     [("Application of best practice processes, models and tools", "5", "L5: leads introduction of best practice across portfolio, benchmarks")]),
    ("PMO analyst - I run the central SharePoint repository for risk logs, change requests and lessons learned, and take the minutes at project board meetings.",
     [("Portfolio, programme and project support", "2", "L2: central repository, admin support to project boards")]),
    ("Ran the portfolio office for 30+ projects, built the Power BI reporting pack and took part in the internal audit of project assurance.",
     [("Portfolio, programme and project support", "4", "L4: co-ordinates P3O for a portfolio, reviews and audits")]),
    ("Ran the annual portfolio selection round using a weighted scorecard and then allocated our 40 project managers against the agreed priorities.",
     [("Portfolio definition", "4", "L4: selection model, allocates staff to portfolio priorities")]),
    ("I put together the monthly portfolio dashboard for the investment committee and flag projects I think should be paused or re-scoped.",
     [("Portfolio management", "3", "L3: reports for portfolio governance, recommends changes")]),
    ("Kept the risk register current for my workstream and carried out the mitigation actions the PM had agreed with the board.",
     [("Project risk management", "2", "L2: identifies/reports risk in own area, implements agreed actions")]),
    ("I combined the risk registers from four projects into one programme risk profile, ran Monte Carlo analysis, assigned owners and built contingency into the plan.",
     [("Project risk management", "4", "L4: integrates risk across programme, tools, contingency")]),
    ("Agreed measurable acceptance criteria for every deliverable with the client up front, then ran the quality reviews and got formal sign-off on each one.",
     [("Project and programme quality management", "3", "L3: quality criteria agreed, deliverables accepted")]),
    ("applied version control to all the design docs and logged each change request in the register before it went to the PM",
     [("Change control and configuration management", "2", "L2: follows change process, version control")]),
    ("Built the cost model for a three-year programme from the sub-project estimates, added risk allowances and ran P50/P80 scenarios for the sponsor.",
     [("Resource and cost estimation", "4", "L4: integrates estimates, risk allowances, statistical tools")]),

    # --- Business analysis and change management
    ("I mapped how each project output would drive the three target benefits and agreed with the finance manager that she would own the invoice processing saving.",
     [("Benefits management and realization", "3", "L3: benefits map, responsibility in the business")]),
    ("I oversee benefits tracking across our transformation portfolio and report realised benefits to shareholders each year - £48m to date against £55m forecast.",
     [("Benefits management and realization", "5", "L5: multi-year tracking, reports to shareholders")]),
    ("I designed the target operating model for the new shared services centre - structure, processes, systems and data - and did the gap analysis against how things run today.",
     [("Blueprint design", "4", "L4: constructs design for future organisation, current/future gap")]),
    ("I was the central contact for the project's 60 stakeholders, organised the engagement events and sent out the monthly update.",
     [("Stakeholder management and communication", "2", "L2: central point of contact, events, reports")]),
    ("mapped ~40 stakeholder groups by power and interest for the hospital merger programme, set up the comms channels and got both chief execs on side early",
     [("Stakeholder management and communication", "4", "L4: maps interest/influence, channels, senior stakeholders")]),
    ("I planned the rollout of the new expenses process in one department, arranged training for 80 staff and adjusted the approach after the first fortnight's feedback.",
     [("Business change management", "3", "L3: plans and manages non-complex change, training, monitors impact")]),
    ("I set up the organisation's change management practice; every programme now follows the same approach and the exec team sponsors it.",
     [("Business change management", "5", "L5: builds organisational capability for change management")]),
    ("measured cycle times in purchase-to-pay, benchmarked against two peer organisations and recommended four changes that cut approval time from nine days to four",
     [("Process improvement", "3", "L3: measures process, benchmarks, reasoned recommendations")]),
    ("Ran workshops and one-to-ones with warehouse staff to gather requirements for the new picking system and kept challenging the 'must-haves' until we got to what they really needed.",
     [("Requirements/needs identification", "3", "L3: technique selection, probing questions, challenges stakeholders")]),
    ("Facilitated the board away-day that agreed the requirements for our digital strategy, helping the directors picture what customer self-service could look like.",
     [("Requirements/needs identification", "5", "L5: consensus with senior stakeholders, helps envisage new solutions")]),
    ("As a graduate analyst I ran the weekly sales extracts and produced the standard tables from the team's templates.",
     [("Information analysis", "1", "L1: routine analysis, agreed presentation")]),
    ("I spotted that ticket volumes spiked at every month-end and showed the service desk manager it lined up with the finance close, so she could roster for it.",
     [("Information analysis", "2", "L2: recognises trends, draws conclusions, recommends")]),
    ("pulled together CRM, finance and web analytics data to recommend which product lines to exit; the board went with my recommendation",
     [("Information analysis", "4", "L4: large diverse data for strategic decision")]),
    ("I modelled the as-is and to-be claims process in BPMN, walked the claims handlers through the diagrams and corrected three steps they said never actually happen.",
     [("Modelling", "3", "L3: selects technique, reviews models with stakeholders")]),
    ("I set the analysis standards for the data team - which methods we use, how we validate sources - and review the trickiest pieces of work myself.",
     [("Information analysis", "5", "L5: leads and establishes methods for information analysis")]),

    # --- IT Service Management
    ("First-line service desk: I log calls, ask users the right questions to pin down the fault, fix password and printer issues from the knowledge base and pass everything else to second line.",
     [("User support", "1", "L1: questions users, basic product knowledge, escalates, documents")]),
    ("Helped staff on the floor with Outlook and Teams problems, noting what I'd done on each ticket and escalating anything I couldn't fix.",
     [("User support", "1", "L1: first line support with escalation and documentation")]),
    ("Second line - I trace faults with SCCM and remote tools, search the known error database and own each ticket through to closure.",
     [("User support", "2", "L2: interrogates databases, tools to trace faults, tracks to conclusion")]),
    ("I manage a service desk of 14 analysts, set the rota to hit our answer-in-20-seconds target and wrote the support standards we work to.",
     [("User support", "3", "L3: manages support function, resourcing, standards")]),
    ("Under my team lead's guidance I record uptime for our hosted applications in the monthly SLA tracker.",
     [("Service delivery", "1", "L1: records and tracks reliability data under guidance")]),
    ("I schedule the operational maintenance for the data centre, manage the £1.4m infrastructure operations budget and worked out that we needed two more engineers on nights.",
     [("Service delivery", "3", "L3: schedules operational tasks, budget, staffing numbers")]),
    ("Logged and categorised incidents in ServiceNow, tagging each with the symptoms and the fix so others could find them later.",
     [("Incident management", "2", "L2: records and classifies incidents by symptom and resolution")]),
    ("As major incident manager I ran the bridge call during last year's payments outage, pulling in network, database and vendor engineers; we restored service in 2h10m, and afterwards I rewrote our escalation procedure so the right people are paged first time.",
     [("Incident management", "4", "L4: leads major incident team, escalation procedures")]),
    ("After repeated VPN drops I checked earlier problem records, found a firmware fault on one concentrator, swapped it out and wrote a known error article.",
     [("Problem management", "3", "L3: root cause, checks history, replaces component, updates knowledge base")]),
    ("I follow the change process for all our server patching: raise the RFC, get CAB approval, schedule it in the agreed window.",
     [("IT Change management", "2", "L2: applies change control procedure within SLA")]),
    ("Chaired the weekly CAB for two years.",
     [("IT Change management", "3", "L3: manages change process, refers/assesses changes at CAB")]),
    ("Rewrote the change policy for the live environment using ITIL 4 guidance and coached team leads on assessing risk for complex changes.",
     [("IT Change management", "4", "L4: defines policy, interprets external best practice, guides others")]),
    ("I own the release plan for our mobile app - schedule the fortnightly drops with dev and product, confirm test sign-off and run post-release reviews.",
     [("Release management", "3", "L3: creates and manages release plan, post-release reviews")]),
    ("kept CI records in the CMDB up to date after each hardware move and checked every entry against the asset tag",
     [("Configuration management", "2", "L2: logs/updates CIs, verifies accuracy")]),
    ("Produced monthly growth reports for our storage estate, tracked peaks against the business calendar and warned we'd run out of headroom by Q3.",
     [("Capacity management", "3", "L3: analyses trends, usage/growth reports, capacity issues")]),
    ("Did the monthly outage analysis and wrote the availability report against agreed service levels for the availability manager.",
     [("Availability management", "2", "L2: outage analysis, reports, supports availability manager")]),
    ("I negotiated revised SLAs with the retail business, balancing their 24/7 ambitions against what our suppliers could actually underpin.",
     [("Service level management", "4", "L4: negotiates SLAs, capacity of supply chain")]),
    ("Investigated a phishing-led account compromise, reset the affected credentials and recommended MFA for all remote access, which was adopted.",
     [("Information security management", "3", "L3: investigates incident, remedial measures, policy recommendation")]),
    ("Wrote the group information security strategy and got board approval for it, balancing spend against our risk appetite.",
     [("Information security strategy development", "5", "L5: enterprise-wide strategy agreed, cost vs risk")]),
    ("Set up the IT steering group and architecture review board, then reviewed their terms of reference a year on to check they were still fit for purpose.",
     [("IS Governance", "4", "L4: governance structures, reviews arrangements")]),
    ("Got the executive team to agree one list of IT investment priorities for the next three years, including the decision to buy rather than build our CRM.",
     [("IT and business strategy alignment", "5", "L5: consensus on investment priorities, make-or-buy")]),
    ("As data architect for the bank I defined the target data architecture, weighing scalability, security and our ageing mainframe.",
     [("Architecture design", "4", "L4: single architecture, interoperability/security, legacy platform")]),
    ("I led our move to a platform-based service model, challenging the assumption that we had to own our infrastructure; it's now the blueprint for the group.",
     [("Innovating", "5", "L5: strategic leadership, challenges status quo")]),
    ("I follow developments in robotic process automation and advised the leadership team on where it could save effort in finance - two bots are now live.",
     [("Technology trend monitoring", "4", "L4: assesses emerging tech, advises leadership")]),
    ("Led development of our ITSM strategy and policy framework across six countries and got sign-off from every regional CIO.",
     [("Service management policy and procedure design", "5", "L5: organisation's ITSM strategy and policies, stakeholder agreement")]),
    ("I look after our relationships with the three main internal customers, gather their feedback monthly and make sure complaints are properly followed up.",
     [("Relationship management", "3", "L3: limited number of stakeholders, feedback, complaints addressed")]),
    ("Led continuity planning for all IT services, ran two full DR tests a year and fixed the gaps they exposed.",
     [("Continuity management", "4", "L4: leads continuity plan for all services, testing, improvements")]),
    ("I set the ITSM process standards for the whole IT organisation, benchmarked against ITIL and ISO 20000, and review them every year.",
     [("Application of best practice processes, methods and tools", "5", "L5: best practice across IT organisation, benchmark")]),
    ("Assessed the risks of moving the customer portal to public cloud, documented containment plans and decided which controls had to be in place before go-live.",
     [("Business risk management", "3", "L3: risk in a technical area, decides actions, containment plans")]),
    ("Integrated the new badge readers with the access control system, checking specs for compatibility and documenting each step and every deviation.",
     [("Component integration", "2", "L2: integrates components, compatibility, documents deviations")]),
    ("I built the team's Confluence space from scratch around our support processes, so the information engineers need is structured and easy to find.",
     [("Information and knowledge management", "3", "L3: builds information system around processes and user needs")]),

    # --- Business and commercial
    ("checked every month whether the cleaning contractor had hit its contract KPIs and escalated when they missed three in a row",
     [("Contract management", "2", "L2: monitors supplier deliverables, escalates defaults")]),
    ("Renegotiated the managed print contract mid-term after persistent failures, put the supplier on a recovery plan and acted as final escalation point.",
     [("Contract management", "4", "L4: negotiates terms, recovery plans, final point for issues")]),
    ("Wrote the RFP for our laptop refresh, scored five suppliers on cost, performance and delivery and recommended the award in line with procurement rules.",
     [("Purchasing", "3", "L3: procurement documents, evaluates suppliers, compliance")]),
    ("I prepare and manage the £350k budget for the infrastructure refresh project, reconciling actuals monthly and raising any risk of overspend early.",
     [("Financial management", "3", "L3: budget for a project, monitors spend, reports risks")]),
    ("Accountable for capital and revenue funding across the group's £90m change portfolio, including amortisation policy and cost of capital.",
     [("Financial management", "5", "L5: strategic financial management of portfolio")]),
    ("I keep an eye on how the test environments are used and pointed out two that were sitting idle but still being paid for.",
     [("Resource management", "2", "L2: monitors efficient use of resources, identifies waste")]),
    ("I direct people and budget across the whole change portfolio towards the programmes with most strategic value, and set up an internal academy so we'd always have enough architects.",
     [("Resource management", "5", "L5: strategic resource direction, adequate skilled resource")]),
    ("Designed the sales strategy for our managed services line, set annual targets for the five account managers and led the bids for two public sector frameworks.",
     [("Sales management", "4", "L4: sales strategy, targets, leads bids")]),
    ("I present our support services to prospective clients, show them where we'd add value to their operation and took 11 deals through to close last year.",
     [("Sales management", "3", "L3: presents offering, added value, manages sales process to close")]),

    # --- Leadership and personal
    ("I get on well with everyone in the team and happily switch tasks when priorities change at short notice.",
     [("Leadership and teamwork", "1", "L1: positive relationships, responsive to changing priorities")]),
    ("When the migration went wrong in week three I pulled the team together, reset goals for the next fortnight and gave each person clear ownership.",
     [("Leadership and teamwork", "3", "L3: clear goals, refocuses team when things go wrong")]),
    ("I brought four separate IT teams into one department, agreed a shared purpose with them and lined their objectives up with company strategy.",
     [("Leadership and teamwork", "5", "L5: aligns teams to shared vision and organisational objectives")]),
    ("I let my senior engineers make design calls in their own areas without running them past me, and we celebrate their wins at the monthly all-hands.",
     [("Leadership and teamwork", "4", "L4: empowers team members, recognises achievements")]),
    ("I check I've understood a request by playing it back, and write my updates in short clear bullets.",
     [("Communication and knowledge sharing", "1", "L1: active listening, clear written structure")]),
    ("I shared my Jira automation scripts with the other team leads and ran a lunchtime session on using them.",
     [("Communication and knowledge sharing", "2", "L2: shares good practice and expertise")]),
    ("I told the project board go-live had to slip a month, which wasn't popular, and set out the evidence so clearly that they accepted it.",
     [("Communication and knowledge sharing", "3", "L3: delivers unpopular message with clarity, persuasive logic")]),
    ("Set up a programme wiki and fortnightly show-and-tells so the eight workstreams could see each other's work.",
     [("Communication and knowledge sharing", "4", "L4: develops ways to share information across a programme")]),
    ("negotiated a three-year licence deal with our main software vendor, worked out that their real driver was cloud consumption and used it to get 18% off",
     [("Negotiation", "3", "L3: identifies commercial drivers and levers")]),
    ("I've learned to think about how my blunt comments in code reviews land with junior devs, and I phrase them more carefully now.",
     [("Conflict management", "1", "L1: aware of impact of own behaviour on others")]),
    ("Two developers disagreed about the branching strategy; I listened to both, set out where they actually agreed and we settled on a hybrid.",
     [("Conflict management", "2", "L2: listens to opposing views, establishes points of agreement")]),
    ("used a formal mediation process to settle a long-running dispute between the infrastructure and security teams",
     [("Conflict management", "4", "L4: formal mediation/dispute resolution")]),
    ("Ran a skills assessment for my 10-person team, found gaps in cloud skills and built the training into day-to-day work through pairing.",
     [("Staff awareness and development", "3", "L3: assesses competence, skills gaps, development in routine work")]),
    ("I always re-check the figures in my reports before sending them and have caught a few calculation errors that way.",
     [("Quality orientation (attention to detail)", "1", "L1: checks work for errors, corrects")]),
    ("spotted a typo in a customer-facing price list before it went out and corrected it straight away",
     [("Quality orientation (attention to detail)", "1", "L1: checks accuracy, corrects defect promptly")]),
    ("I block out quiet time to finish test scripts without interruptions and never rush a sign-off.",
     [("Quality orientation (attention to detail)", "2", "L2: disciplined approach, full attention, avoids distractions")]),
    ("I know how our service desk targets feed into the company's customer satisfaction goal, and I stick to the procedures for handling customer data.",
     [("Business and environmental awareness", "1", "L1: own contribution to business goals, follows procedures")]),
    ("I know who the real decision-makers are in procurement and use my informal contacts to get approvals moving.",
     [("Business and environmental awareness", "2", "L2: key decision-makers, formal/informal channels")]),
    ("I research fintech and regulatory trends for our payments programme and have raised three risks with the sponsor before they became issues.",
     [("Business and environmental awareness", "4", "L4: researches industry trends, anticipates risks for programme")]),
    ("I complete the tasks assigned to me in each sprint and update my progress on the board daily so we hit the deadline.",
     [("Planning and organization", "1", "L1: completes agreed tasks, monitors progress to deadline")]),
    ("I plan my week around what matters most to customers and I'm honest when I can't take on more.",
     [("Planning and organization", "2", "L2: prioritises own work, agrees only what is achievable")]),
    ("Set the organisation's annual business plan priorities and moved money and people to match the five-year strategy.",
     [("Planning and organization", "5", "L5: strategic business plans, resources in line with strategy")]),
    ("Reset passwords and unlocked accounts for callers, working from the scripted checks and passing anything unusual to my senior.",
     [("User support", "1", "L1: follows guidelines, basic product knowledge, escalates")]),
    ("On my placement year I cleaned up the survey spreadsheets, ran the standard frequency tables and presented them in the agreed chart format.",
     [("Information analysis", "1", "L1: routine methodical analysis, agreed presentation")]),
    ("Before I hand over any asset list I go through it line by line against the delivery notes and fix mismatches there and then.",
     [("Quality orientation (attention to detail)", "1", "L1: checks work is complete and error-free, corrects")]),
    ("New to the infrastructure team, I picked up the patching rota when priorities shifted and kept the customers informed, which they appreciated.",
     [("Leadership and teamwork", "1", "L1: responsive to changing priorities, relationships with customers")]),
    ("I produce the weekly numbers for the team using the standard report template and check with my supervisor if anything looks odd.",
     [("Information analysis", "1", "L1: routine analysis under supervision")]),

    # further units: second units for single-unit skills, levels 1, 4 and 5
    ("Every morning I noted the overnight batch results and server availability in the SLA log, the way my supervisor had shown me.",
     [("Service delivery", "1", "L1: records reliability data under guidance")]),
    ("Even as the most junior tester, I make a point of hearing the developers' side before we argue about how severe a bug is.",
     [("Leadership and teamwork", "1", "L1: respects others, sensitive to different perspectives")]),
    ("I keep a simple checklist of the jobs I'm given each day and tick them off so nothing slips past its deadline",
     [("Planning and organization", "1", "L1: completes assigned tasks to deadline")]),
    ("In my first six months on the service desk I learned to write ticket notes that the next person can pick up without having to ask me anything.",
     [("Communication and knowledge sharing", "1", "L1: structures written information for clarity")]),
    ("I follow the data classification rules on every document I handle and understand why they matter for keeping our ISO 27001 certificate.",
     [("Business and environmental awareness", "1", "L1: follows policies, sees link to business goals")]),
    ("I realised that reopening closed tickets without a word was annoying the second-line team, so now I message them first.",
     [("Conflict management", "1", "L1: recognises impact of own actions on others")]),
    ("Developed the project selection criteria used across the group and got the board to sign off how the portfolio is structured, plus the three-year delivery plan.",
     [("Portfolio definition", "5", "L5: selection criteria and model, board approval for portfolio")]),
    ("I defined how we manage pipeline, resourcing and funding across the whole portfolio and trained our programme managers in the techniques.",
     [("Portfolio management", "5", "L5: portfolio management strategy, develops PMs")]),
    ("I head the independent assurance function that reviews quality on every major programme and worked out how ISO 9001 applies to our project delivery.",
     [("Project and programme quality management", "5", "L5: impartial quality assurance function, quality standards")]),
    ("Tied the future-state blueprint for the merged organisation into the HR, property and digital strategies and got the executive team to commit to the new operating model.",
     [("Blueprint design", "5", "L5: integrates blueprint with organisational strategies, senior commitment to TOM")]),
    ("I report programme outcomes to the executive committee and our external investors, and manage the strategic alliances with our two main delivery partners.",
     [("Stakeholder management and communication", "5", "L5: reports to executives/investors, strategic alliances")]),
    ("Wrote the IS governance policy to fit the group's corporate governance code and the new data protection law, and revised it when we moved to a federated operating model.",
     [("IS Governance", "5", "L5: IS governance policy aligned to corporate governance, adapts to change")]),
    ("I came up with the idea of mining our chatbot conversations to design new self-service products and built the prototype that won over product management.",
     [("Innovating", "4", "L4: envisions exploitation of technology, creative new solution")]),
    ("Twice a year I brief the board on emerging technology and what it means for our products; the last session led to the edge computing pilot.",
     [("Technology trend monitoring", "5", "L5: articulates future solutions, raises awareness among business leaders")]),
    ("As chief architect I set the enterprise architecture principles and the formal design approach every solution team now follows.",
     [("Architecture design", "5", "L5: enterprise architecture leadership, formal approach")]),
    ("I rewrote our information security policies against ISO 27001, including a staff vetting standard and clear accountabilities for each directorate.",
     [("Information security strategy development", "4", "L4: enterprise policies from external standards, screening, accountabilities")]),
    ("drafted the availability management policy and process for my area and presented them to senior managers for approval",
     [("Service management policy and procedure design", "4", "L4: drafts ITSM policy for specialist area for approval")]),
    ("I'm accountable for the company's sales performance, decide where the sales budget goes and report results to the board every month.",
     [("Sales management", "5", "L5: ultimate responsibility for sales, authorises resources, advises board")]),
    ("Led the negotiations with the regulator and two government departments over extending our national contract, using the political pressures on each side to reach a deal.",
     [("Negotiation", "5", "L5: strategically important negotiation using political/economic forces")]),
    ("Across my department I encourage open disagreement in design reviews and make a point of visibly backing people who challenge me.",
     [("Conflict management", "5", "L5: culture of open debate, role model")]),
    ("I introduced a knowledge-sharing strategy across the programme's 300 staff and persuaded the other directors to adopt it in their areas too.",
     [("Communication and knowledge sharing", "5", "L5: knowledge sharing strategy, persuasive at senior level")]),
    ("Built strategic relationships with the heads of our three biggest business units and brief them regularly on how planned IT changes will affect their operations.",
     [("Relationship management", "4", "L4: strategic relationships with senior stakeholders, anticipates impact")]),
    ("I used our enterprise architecture models to check every new system request against business requirements and the long-term roadmap before it was approved.",
     [("IT and business strategy alignment", "4", "L4: applies EA models to align IT with business requirements")]),
    ("I run the weekly review of open problems and built the known-error database we now use to spot recurring faults before they cause outages.",
     [("Problem management", "4", "L4: leads problem process, deploys knowledge system, anticipates failures")]),
    ("I chair the release readiness reviews and I'm the escalation point for any critical release decision.",
     [("Release management", "4", "L4: chairs readiness reviews, authorises critical releases")]),
    ("I watch CPU and storage utilisation on our hosted platform and warn the capacity manager when we're heading for a shortfall.",
     [("Capacity management", "2", "L2: monitors utilisation, identifies shortfalls, supports capacity manager")]),
    ("Wrote the policy for measuring service availability across IT, and set out who is responsible for each service's figures.",
     [("Availability management", "4", "L4: availability policies, responsibilities across organisation")]),
    ("I place orders against our existing supplier frameworks and check deliveries match the invoices before approving payment.",
     [("Purchasing", "2", "L2: orders on existing contracts, validates deliverables against payment")]),
    ("Set up change control for the programme so every scope, cost or schedule change is assessed the same way, and pushed back on change requests that didn't stack up.",
     [("Change control and configuration management", "4", "L4: change governance across programme, constructive challenge")]),
    ("Used the flowcharting templates my lead gave me to try out a few 'what if' options for the new returns process.",
     [("Modelling", "2", "L2: established modelling techniques as directed, what-if scenarios")]),
    ("I lead process improvement for customer operations; I showed the executive team what automating claims triage would save and then signed it off within my own budget.",
     [("Process improvement", "4", "L4: demonstrates business advantage to senior management, authorises improvement")]),
    ("I wrote our integration standards and the process covering the whole integration cycle, and I assign engineers to each integration programme.",
     [("Component integration", "4", "L4: integration policies and process, assigns resources")]),
    ("I run the monthly access audits on our finance systems and record and escalate any non-compliance I find.",
     [("Information security management", "2", "L2: routine security audits, records and escalates non-compliance")]),
    ("I check achieved service levels against our SLAs every month and send the metrics pack to the service owners.",
     [("Service level management", "3", "L3: monitors achieved vs agreed service levels, circulates metrics")]),
    ("I investigated ways to cut the risk of data loss from staff laptops and recommended full-disk encryption, which IT rolled out.",
     [("Business risk management", "2", "L2: investigates solutions to mitigate a specific IT risk")]),
    ("I identified the critical finance processes and data for our continuity plan, assessed what a data centre loss would do to them and took part in the recovery test.",
     [("Continuity management", "3", "L3: identifies critical processes, assesses impact, inputs to testing")]),
    ("Chose and rolled out our knowledge base tool and advised the business on how to structure and share what their teams know.",
     [("Information and knowledge management", "4", "L4: selects and advises on knowledge management tools")]),

    # multi-label
    ("I negotiated the outsourcing contract for our service desk and then managed the supplier against its KPIs for the first year.",
     [("Negotiation", "3", "L3: develops and leads negotiation in specialist area"),
      ("Contract management", "3", "L3: evaluates supplier performance using indicators")]),
    ("Before each release I take the change through CAB and then update the CMDB with the new versions",
     [("IT Change management", "2", "L2: follows change procedure"),
      ("Configuration management", "2", "L2: logs and updates CIs")]),
    ("I coach two junior PMs on PRINCE2 planning and review their plans before they go to the board.",
     [("Staff awareness and development", "2", "L2: advises, guides and coaches individuals"),
      ("Application of best practice processes, models and tools", "3", "L3: coaching and support to embed best practice")]),
    ("I ran the weekly status meeting with the sponsor and key stakeholders, reporting spend and progress against plan and agreeing corrective actions when we drifted.",
     [("Progress monitoring and control", "3", "L3: reports performance vs plan, status meetings, corrective action"),
      ("Stakeholder management and communication", "3", "L3: regular progress communication to sponsor and key stakeholders")]),
    ("I wrote the tender for network support, scored the bids with the technical panel and then negotiated the final terms with the preferred supplier.",
     [("Purchasing", "3", "L3: procurement documents, supplier evaluation"),
      ("Negotiation", "3", "L3: leads negotiation in specialist area")]),
    ("As service desk team leader I set weekly goals, give each analyst feedback after call reviews and coach new starters on the ticketing tool.",
     [("Leadership and teamwork", "3", "L3: clear goals, constructive feedback"),
      ("Staff awareness and development", "3", "L3: coaches individuals, development in routine work")]),
    ("Built the risk register and the cost estimates for the data centre consolidation, a six-month project, and kept both updated as the design changed.",
     [("Project risk management", "3", "L3: risk management for small/medium project"),
      ("Resource and cost estimation", "3", "L3: estimates for small/medium project, revised as new information arrives")]),

    # NONE
    ("PRINCE2 Practitioner, ITIL v3 Expert, MSP Foundation", [(N, "", "certificates only")]),
    ("15 years' experience in IT service management across retail and financial services.", [(N, "", "biography / generic")]),
    ("Results-driven, self-motivated professional with a passion for delivery.", [(N, "", "generic claim")]),
    ("Keen to move into a programme management role where I can use my strategic skills.", [(N, "", "motivation")]),
    ("Next year I'd like to build up my knowledge of Agile and SAFe.", [(N, "", "future development wish")]),
    ("The programme was delivered by a team of 40 under the direction of the CIO.", [(N, "", "others' action")]),
    ("Hobbies: cycling, chess, volunteering at the local food bank", [(N, "", "biography")]),
    ("My manager introduced the CMDB in 2018.", [(N, "", "someone else's action")]),
    ("If I were running that programme I'd set up a PMO from day one.", [(N, "", "hypothetical")]),
    ("Education: BSc Computer Science, University of Leeds, 2:1", [(N, "", "qualification only")]),
    ("I'm a people person and love working in teams.", [(N, "", "generic claim")]),
    ("Available for interview any time after 1 June.", [(N, "", "boilerplate")]),
    ("Worked at Capita 2012-2016, then moved to Atos as a service manager.", [(N, "", "employment history only")]),
    ("Personally I find ITIL overly bureaucratic for small teams.", [(N, "", "opinion")]),
    ("Our service desk was rated best in sector by SDI in 2019.", [(N, "", "team outcome, no own behaviour")]),
    ("I'm confident I would thrive in a fast-paced programme environment.", [(N, "", "hypothetical / generic")]),
    ("Responsible for a wide range of IT service management activities.", [(N, "", "vague duty statement, no behaviour")]),
    ("My plan for the first 90 days would be to review every existing SLA.", [(N, "", "hypothetical")]),
    ("Member of the BCS and of the Association for Project Management", [(N, "", "membership only")]),
    ("The vendor's engineers resolved the outage after about four hours.", [(N, "", "others' action")]),
    ("PROFESSIONAL SUMMARY AND KEY ACHIEVEMENTS, 2015 TO PRESENT", [(N, "", "CV heading")]),
    ("Strong stakeholder management skills and excellent written communication.", [(N, "", "generic claim")]),
    ("I really enjoy the variety that comes with working in project management.", [(N, "", "motivation")]),
    ("Languages: English (native), French (conversational), some German", [(N, "", "biography")]),
]

# ---------------------------------------------------------------------------------------------

FRAMEWORKS = {
    "units-of-competence": (UOC, {c: [""] for c in UOC_COMPETENCIES}),
    "councils": (COUNCILS, {c: list("ABCDEFGH") for c in COUNCILS_COMPETENCIES}),
    "admin-job-family": (ADMIN, ADMIN_LEVELS),
    "axelos-skills": (AXELOS, {k: list(v) for k, v in AXELOS_LEVELS.items()}),
}


def validate(fid: str, units: list, allowed: dict[str, list[str]]) -> list[str]:
    problems = []
    seen_text = set()
    for text, labels in units:
        words = len(re.findall(r"\S+", text))
        if not 6 <= words <= 45:
            problems.append(f"{fid}: {words} words: {text[:60]}")
        if text in seen_text:
            problems.append(f"{fid}: duplicate text: {text[:60]}")
        seen_text.add(text)
        comps = [c for c, _, _ in labels]
        if len(set(comps)) != len(comps):
            problems.append(f"{fid}: repeated competency in one unit: {text[:60]}")
        if N in comps and len(comps) > 1:
            problems.append(f"{fid}: NONE mixed with a competency: {text[:60]}")
        for comp, level, _ in labels:
            if comp == N:
                if level:
                    problems.append(f"{fid}: NONE with a level: {text[:60]}")
                continue
            if comp not in allowed:
                problems.append(f"{fid}: unknown competency {comp!r}")
            elif level not in allowed[comp]:
                problems.append(f"{fid}: level {level!r} not defined for {comp!r}: {text[:60]}")
    return problems


def split(units: list, rng: random.Random) -> tuple[list, list]:
    """Seeded ~70/30 split stratified by competency and balanced by level.

    Multi-label units form their own stratum and stay whole. A competency with two or more units
    gets at least one in each split; within a stratum the test units are those whose level is
    furthest below its 30% share so far (ties broken at random); single-unit competencies and
    rounding remainders are drawn the same way to bring the test share to about 30%.
    """
    def level(i: int) -> str:
        return units[i][1][0][1]

    strata: dict[str, list[int]] = defaultdict(list)
    for i, (_, labels) in enumerate(units):
        strata["<multi>" if len(labels) > 1 else labels[0][0]].append(i)
    level_total = Counter(level(i) for i in range(len(units)))
    target = round(TEST_SHARE * len(units))
    test: set[int] = set()
    in_test: Counter = Counter()
    jitter = {i: rng.random() for i in range(len(units))}

    def take(candidates: list[int], k: int) -> list[int]:
        chosen = []
        cands = candidates[:]
        for _ in range(min(k, len(cands))):
            best = max(cands, key=lambda i: (TEST_SHARE * level_total[level(i)] - in_test[level(i)], jitter[i]))
            cands.remove(best)
            chosen.append(best)
            in_test[level(best)] += 1
        return chosen

    pool: list[int] = []
    keys = sorted(strata)
    rng.shuffle(keys)
    for key in keys:
        idx = strata[key]
        if len(idx) == 1:
            pool.extend(idx)
            continue
        k = max(1, int(TEST_SHARE * len(idx)))
        chosen = take(idx, k)
        test.update(chosen)
        rest = [i for i in idx if i not in chosen]
        if len(rest) > 1:
            pool.extend(rest)  # may give one more to test, leaving at least one in dev
    counts = Counter(units[i][1][0][0] for i in test)
    while len(test) < target and pool:
        (best,) = take(pool, 1)
        pool.remove(best)
        comp = units[best][1][0][0]
        n_comp = len(strata["<multi>" if len(units[best][1]) > 1 else comp])
        if n_comp > 1 and counts[comp] + 1 >= n_comp:
            in_test[level(best)] -= 1  # would empty dev for this competency; skip
            continue
        test.add(best)
        counts[comp] += 1
    dev = [u for i, u in enumerate(units) if i not in test]
    tst = [u for i, u in enumerate(units) if i in test]
    return dev, tst


def as_units(rows_by_unit: list[list[dict]]) -> list:
    """Dev-only units (`dev_only.read`) in this module's ``(text, [(competency, level, note), ...])`` form."""
    for rows in rows_by_unit:
        if any(r["polarity"] != "positive" for r in rows):
            sys.exit(f"only positive rows here (no negative indicators): {rows[0]['text'][:60]}")
    return [(rows[0]["text"], [(r["competency"], r["level"], r["note"]) for r in rows]) for rows in rows_by_unit]


def write(path: Path, units: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        w.writerow(HEADER)
        for text, labels in units:
            for comp, level, note in labels:
                w.writerow([text, comp, level, "positive", note])


def main() -> int:
    problems = []
    later = {fid: as_units(dev_only.read(fid)) for fid in FRAMEWORKS}
    for fid, (units, allowed) in FRAMEWORKS.items():
        problems += validate(fid, units + later[fid], allowed)
    if problems:
        print("\n".join(problems))
        return 1
    for fid, (units, _) in FRAMEWORKS.items():
        rng = random.Random(f"{SEED}-{fid}")
        dev, tst = split(units, rng)
        dev += later[fid]  # after the split, so the test split is unchanged by them
        write(ROOT / "data" / "gold" / "dev" / f"{fid}.csv", dev)
        write(ROOT / "data" / "gold" / "test" / f"{fid}.csv", tst)
        print(f"{fid}: {len(units)} units -> dev {len(dev)}, test {len(tst)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
